/** A problem as the element shows it: what happened, and the next step. Invalid attributes stay until fixed. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Problem } from './problems.js';

export function problemTemplate(problem: Problem, onDismiss: () => void): TemplateResult {
  return html`
    <div class="problem" part="error" role="alert" data-code=${problem.code}>
      <h3>${problem.title}</h3>
      <p>${problem.message}</p>
      <p class="next">Next step: ${problem.nextStep}</p>
      ${problem.code === 'invalid-attribute' ? nothing : html`<div class="actions"><button type="button" class="small" @click=${onDismiss}>Dismiss</button></div>`}
    </div>
  `;
}
