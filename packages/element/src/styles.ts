/**
 * The element's styles. Every colour, font and spacing comes from a `--moa-*` custom property with a light and a
 * dark default (prefers-color-scheme); internal `--_*` variables hold the resolved values. Works from 320 px wide.
 */
import { css } from 'lit';

export const styles = css`
  :host {
    --_font: var(--moa-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_mono: var(--moa-mono-font-family, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace);
    --_size: var(--moa-font-size, 1rem);
    --_text: var(--moa-color-text, #1b1d21);
    --_muted: var(--moa-color-muted, #565d69);
    --_bg: var(--moa-color-bg, #ffffff);
    --_surface: var(--moa-color-surface, #f4f5f7);
    --_border: var(--moa-color-border, #d3d7dd);
    --_accent: var(--moa-color-accent, #2b59c3);
    --_on-accent: var(--moa-color-on-accent, #ffffff);
    --_focus: var(--moa-color-focus, #1a56db);
    --_error: var(--moa-color-error, #b42318);
    --_error-bg: var(--moa-color-error-bg, #fef3f2);
    --_sim: var(--moa-color-simulated, #6b4400);
    --_sim-bg: var(--moa-color-simulated-bg, #fff1cc);
    --_map-low: var(--moa-map-low, #e6ecfb);
    --_map-high: var(--moa-map-high, #2b59c3);
    --_code-comment: var(--moa-code-comment, #57606a);
    --_code-keyword: var(--moa-code-keyword, #c4162a);
    --_code-string: var(--moa-code-string, #0a3069);
    --_code-number: var(--moa-code-number, #0550ae);
    --_code-function: var(--moa-code-function, #6639ba);
    --_code-tag: var(--moa-code-tag, #116329);
    --_code-attribute: var(--moa-code-attribute, #0550ae);
    --_code-variable: var(--moa-code-variable, #953800);
    --_code-inserted: var(--moa-code-inserted, #116329);
    --_code-deleted: var(--moa-code-deleted, #a40e26);
    --_radius: var(--moa-radius, 0.5rem);
    --_space: var(--moa-space, 1rem);

    display: block;
    box-sizing: border-box;
    min-width: 0;
    color: var(--_text);
    background: var(--_bg);
    font-family: var(--_font);
    font-size: var(--_size);
    line-height: 1.5;
    color-scheme: light dark;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_text: var(--moa-color-text, #e6e8eb);
      --_muted: var(--moa-color-muted, #a7aeb9);
      --_bg: var(--moa-color-bg, #16181d);
      --_surface: var(--moa-color-surface, #1f232a);
      --_border: var(--moa-color-border, #3a404a);
      --_accent: var(--moa-color-accent, #8fb0ff);
      --_on-accent: var(--moa-color-on-accent, #0c1324);
      --_focus: var(--moa-color-focus, #9cbcff);
      --_error: var(--moa-color-error, #ffb4ab);
      --_error-bg: var(--moa-color-error-bg, #3b1513);
      --_sim: var(--moa-color-simulated, #ffd58a);
      --_sim-bg: var(--moa-color-simulated-bg, #3a2c0a);
      --_map-low: var(--moa-map-low, #1d2740);
      --_map-high: var(--moa-map-high, #7ea2ff);
      --_code-comment: var(--moa-code-comment, #9ba4af);
      --_code-keyword: var(--moa-code-keyword, #ff7b72);
      --_code-string: var(--moa-code-string, #a5d6ff);
      --_code-number: var(--moa-code-number, #79c0ff);
      --_code-function: var(--moa-code-function, #d2a8ff);
      --_code-tag: var(--moa-code-tag, #7ee787);
      --_code-attribute: var(--moa-code-attribute, #79c0ff);
      --_code-variable: var(--moa-code-variable, #ffa657);
      --_code-inserted: var(--moa-code-inserted, #7ee787);
      --_code-deleted: var(--moa-code-deleted, #ffa198);
    }
  }
  :host([hidden]) { display: none; }
  *, *::before, *::after { box-sizing: border-box; }

  .panel { display: flex; flex-direction: column; gap: var(--_space); padding: var(--_space); min-width: 0; }
  :host([compact]) .panel { gap: calc(var(--_space) * 0.5); padding: calc(var(--_space) * 0.5); }

  h2, h3, h4, h5, h6 { margin: 0; line-height: 1.25; }
  h2 { font-size: 1.15em; }
  h3 { font-size: 1.05em; }
  h4 { font-size: 1em; }
  h5, h6 { font-size: 0.95em; }
  p { margin: 0.5em 0; }
  .muted { color: var(--_muted); font-weight: normal; }
  .sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }

  :focus-visible { outline: 3px solid var(--_focus); outline-offset: 2px; }

  header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em 0.75em; }
  header.top .status-text { color: var(--_muted); font-size: 0.9em; }
  .badge { display: inline-block; padding: 0.05em 0.55em; border-radius: 999px; font-size: 0.8em; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
  .badge.simulated { color: var(--_sim); background: var(--_sim-bg); }
  .badge.off-device { color: var(--_error); background: var(--_error-bg); }
  .off-device-notice { margin: 0 0 var(--_space); padding: 0.5em 0.75em; border: 1px solid var(--_error); border-radius: var(--_radius); background: var(--_error-bg); font-size: 0.9em; }

  button {
    font: inherit; color: inherit; cursor: pointer; border-radius: var(--_radius);
    border: 1px solid var(--_border); background: var(--_surface); padding: 0.45em 0.9em; min-height: 2.5em;
  }
  button.primary { background: var(--_accent); color: var(--_on-accent); border-color: var(--_accent); font-weight: 600; }
  button.ghost { background: transparent; }
  button[aria-disabled='true'] { opacity: 0.55; cursor: not-allowed; }
  button.small { min-height: 2em; padding: 0.2em 0.6em; font-size: 0.85em; }

  .problem { border: 2px solid var(--_error); background: var(--_error-bg); border-radius: var(--_radius); padding: 0.75em 1em; }
  .problem h3 { color: var(--_error); }
  .problem .next { font-weight: 600; }
  .problem .actions { display: flex; gap: 0.5em; flex-wrap: wrap; }
  .error-text { color: var(--_error); }

  .loading { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.75em 1em; }
  .loading ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75em; }
  .bar-label { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.25em 1em; font-size: 0.9em; }
  .bar-label .model { font-weight: 600; overflow-wrap: anywhere; }
  .bar-text { font-size: 0.8em; overflow-wrap: anywhere; }
  progress { width: 100%; height: 0.75em; accent-color: var(--_accent); }

  .empty-state { color: var(--_muted); }
  ol.conversation { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: calc(var(--_space) * 1.5); }
  .turn { display: flex; flex-direction: column; gap: 0.75em; min-width: 0; }
  .question { align-self: flex-end; max-width: min(100%, 40em); background: var(--_surface); border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.5em 0.85em; white-space: pre-wrap; overflow-wrap: anywhere; }
  .who { display: block; font-size: 0.75em; font-weight: 600; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; }

  .answer { border-left: 4px solid var(--_accent); padding: 0.25em 0 0.25em 1em; min-width: 0; font-size: 1.05em; }
  .answer-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5em; }
  .answer .placeholder { color: var(--_muted); font-style: italic; }
  /* A draft: a dashed rule and a label; the final answer takes its place in the same box (hold-height.ts). */
  .answer.drafting { border-left-style: dashed; border-left-color: var(--_muted); }
  .answer-stack { min-width: 0; display: flow-root; min-height: calc(var(--_held, 0) * 1px); } /* its children's margins stay inside: the held height is all of it */
  .held { visibility: hidden; }
  /* The label's two texts share one grid cell: swapping them never moves the answer below. */
  .draft-note { display: grid; margin: 0.3em 0 0.6em; font-size: 0.85em; color: var(--_muted); }
  .draft-note > span { grid-area: 1 / 1; }
  .draft-chip { display: inline-block; margin-right: 0.3em; padding: 0 0.55em; border: 1px dashed currentColor; border-radius: 999px; font-size: 0.85em; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; }
  .draft-chip.final { border-style: solid; color: var(--_accent); }
  .status-line { font-size: 0.9em; color: var(--_muted); margin: 0; }
  .turn-actions { display: flex; flex-wrap: wrap; gap: 0.4rem; margin-top: 0.25rem; }
  .notice { border: 1px dashed var(--_border); border-radius: var(--_radius); padding: 0.5em 0.75em; background: var(--_surface); margin: 0.5em 0; }
  .note { font-size: 0.85em; color: var(--_muted); }
  .cut-mark { font-style: italic; margin: 0.25em 0 0; }

  /* Rendered Markdown */
  .md { overflow-wrap: anywhere; min-width: 0; }
  .md .md-open { display: contents; }
  .md > :first-child, .md .md-group > :first-child, .md .md-open > :first-child { margin-top: 0; }
  /* Committed blocks in groups (streaming-markdown.ts): off screen, a group is skipped by style, layout and paint,
     so a frame late in a long answer costs what an early one does. The clip margin keeps focus rings visible. */
  .md-group { content-visibility: auto; contain-intrinsic-size: auto 30em; overflow-clip-margin: 8px; }
  .md p, .md ul, .md ol, .md blockquote, .md table, .md .code-block { margin: 0.6em 0; }
  .md ul, .md ol { padding-left: 1.5em; }
  /* The answer sits in the conversation's list: without this, its lists get the browser's nested-list circles. */
  .md ul { list-style-type: disc; }
  .md ul ul { list-style-type: circle; }
  .md ul ul ul { list-style-type: square; }
  .md blockquote { border-left: 3px solid var(--_border); padding-left: 0.9em; color: var(--_muted); margin-left: 0; }
  .md code { font-family: var(--_mono); font-size: 0.9em; background: var(--_surface); padding: 0.1em 0.3em; border-radius: 0.25em; }
  .md a { color: var(--_accent); }
  .md .raw-html { font-family: var(--_mono); font-size: 0.9em; white-space: pre-wrap; }
  .md .blocked-link { text-decoration: underline dotted; }
  .md .link-destination { font-size: 0.85em; color: var(--_muted); overflow-wrap: anywhere; }
  .md table { border-collapse: collapse; display: block; overflow-x: auto; max-width: 100%; }
  /* In a cell, words stay whole (overflow-wrap: anywhere would shrink columns to a letter wide); the table scrolls instead. */
  .md th, .md td { overflow-wrap: break-word; }
  .md th, .md td { border: 1px solid var(--_border); padding: 0.3em 0.6em; text-align: left; }
  .md [data-align='center'] { text-align: center; }
  .md [data-align='right'] { text-align: right; }
  .md hr { border: 0; border-top: 1px solid var(--_border); }
  .md h1, .md h2, .md h3, .md h4, .md h5, .md h6 { margin: 0.9em 0 0.4em; }
  .md [data-level='1'] { font-size: 1.3em; }
  .md [data-level='2'] { font-size: 1.18em; }
  .md [data-level='3'] { font-size: 1.08em; }
  .code-block { border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface); min-width: 0; }
  .code-head { display: flex; align-items: center; justify-content: space-between; gap: 0.5em; padding: 0.2em 0.3em 0.2em 0.75em; border-bottom: 1px solid var(--_border); font-size: 0.8em; color: var(--_muted); }
  .code-head button { min-height: 2em; padding: 0.15em 0.6em; font-size: 1em; }
  .code-block pre { margin: 0; padding: 0.75em; overflow-x: auto; }
  .code-block pre code { background: none; padding: 0; font-size: 0.875em; }
  /* Syntax highlighting: a few kinds, each a --moa-code-* colour (light and dark defaults). */
  .tok-comment { color: var(--_code-comment); font-style: italic; }
  .tok-keyword { color: var(--_code-keyword); }
  .tok-string { color: var(--_code-string); }
  .tok-number { color: var(--_code-number); }
  .tok-function { color: var(--_code-function); }
  .tok-tag { color: var(--_code-tag); }
  .tok-attribute { color: var(--_code-attribute); }
  .tok-variable { color: var(--_code-variable); }
  .tok-inserted { color: var(--_code-inserted); }
  .tok-deleted { color: var(--_code-deleted); }

  /* Formulas (MathML, drawn by the browser). Wider than the answer: they scroll inside their own box. */
  .math-display { display: block; overflow-x: auto; overflow-y: hidden; max-width: 100%; margin: 0.6em 0; padding: 0.25em 0; text-align: center; }
  .math-inline { display: inline-block; max-width: 100%; overflow-x: auto; overflow-y: hidden; vertical-align: bottom; }
  /* A font with an OpenType MATH table draws large operators and stretchy brackets; the generic \`math\` first. */
  .math math { font-size: 1.1em; font-family: math, 'STIX Two Math', 'Cambria Math', 'Latin Modern Math', 'DejaVu Math TeX Gyre', serif; }
  .math-display math { display: block math; }
  .md .math-source, .md .math-error { overflow-wrap: anywhere; }
  /* A formula's source while the math renderer loads (once per page): quiet, so the switch to MathML hardly shows. */
  .md .math-source { background: none; padding: 0; color: var(--_muted); }
  .md .math-error { color: var(--_error); }

  details > summary { cursor: pointer; font-weight: 600; padding: 0.35em 0; }
  details.details { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.25em 0.9em; }
  details.details[open] { padding-bottom: 0.9em; }
  details.details > summary .muted { font-weight: normal; }
  .details-body { display: flex; flex-direction: column; gap: var(--_space); }

  .stats { border-collapse: collapse; font-size: 0.9em; width: 100%; }
  .stats caption { text-align: left; font-weight: 600; padding-bottom: 0.25em; }
  .table-scroll { overflow-x: auto; max-width: 100%; }
  .stats th, .stats td { text-align: left; padding: 0.25em 0.4em; border-bottom: 1px solid var(--_border); }
  .stats td { font-variant-numeric: tabular-nums; }
  .stats th[scope='row'] { font-weight: normal; overflow-wrap: break-word; }

  .layer { display: flex; flex-direction: column; gap: 0.75em; border-top: 1px solid var(--_border); padding-top: 0.75em; min-width: 0; }
  .cards { display: grid; gap: 0.75em; grid-template-columns: repeat(auto-fit, minmax(min(100%, 16em), 1fr)); }
  .card { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.6em 0.8em; background: var(--_bg); min-width: 0; font-size: 0.92em; }
  .card h6 { margin-top: 0.6em; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; font-size: 0.75em; }
  .card-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25em 0.5em; }
  .card-head h5 { overflow-wrap: anywhere; }
  .card-meta { font-size: 0.85em; }
  .critiques { margin-top: 0.5em; }
  .critiques > summary { font-size: 0.9em; }
  .critiques ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.5em; }
  .critiques li { border-left: 2px solid var(--_border); padding-left: 0.6em; }

  .synthesis { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.6em 0.8em; background: var(--_surface); }
  .synthesis h5 { margin-top: 0.4em; }

  /* Attention map */
  .map { margin: 0; min-width: 0; }
  .map figcaption { font-size: 0.85em; color: var(--_muted); margin-bottom: 0.5em; }
  .map figcaption strong { color: var(--_text); }
  .map-scroll { overflow-x: auto; max-width: 100%; }
  .map table { border-collapse: separate; border-spacing: 3px; }
  .map th { font-size: 0.8em; font-weight: 600; padding: 0.2em; max-width: 7em; }
  .map th .name { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .map thead th { text-align: center; }
  .map tbody th { text-align: right; }
  .map .corner-label { display: block; font-weight: normal; color: var(--_muted); font-size: 0.9em; line-height: 1.2; text-align: right; }
  .map td { padding: 0; }
  .map .cell {
    position: relative; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 0.1em;
    width: 3.4em; height: 3.2em; min-height: 0; padding: 0.2em; border-radius: 0.35em; border: 1px solid var(--_border);
    background: color-mix(in srgb, var(--_map-high) var(--heat, 0%), var(--_map-low));
  }
  .map .cell.self {
    background-image: repeating-linear-gradient(135deg, transparent 0 5px, color-mix(in srgb, var(--_bg) 45%, transparent) 5px 8px);
  }
  .map .cell .count, .map .cell .self-label {
    background: var(--_bg); color: var(--_text); border-radius: 0.3em; padding: 0 0.3em; font-size: 0.8em; line-height: 1.3; font-variant-numeric: tabular-nums;
  }
  .map .cell .self-label { font-size: 0.65em; text-transform: uppercase; letter-spacing: 0.03em; }
  .map .cell .len { position: absolute; left: 0.25em; bottom: 0.2em; height: 0.2em; width: var(--len, 0%); max-width: calc(100% - 0.5em); background: var(--_text); opacity: 0.55; border-radius: 1px; }
  .map .cell.streaming { border-style: dashed; }
  .map .cell.failed { border: 2px solid var(--_error); }
  .map .cell[aria-expanded='true'] { outline: 3px solid var(--_text); outline-offset: 1px; }
  .map span.cell { background: transparent; color: var(--_muted); }
  .critique { margin-top: 0.5em; border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.5em 0.8em; background: var(--_bg); }
  .critique-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5em; }

  form.prompt { display: flex; flex-direction: column; gap: 0.5em; }
  form.prompt label { font-weight: 600; font-size: 0.9em; }
  textarea {
    font: inherit; color: inherit; background: var(--_bg); width: 100%; min-height: 3.5em; max-height: 40vh; resize: vertical;
    border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.6em 0.75em;
  }
  .prompt-row { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; }
  .prompt-row .hint { flex: 1 1 12em; font-size: 0.8em; color: var(--_muted); }
  .prompt-row .buttons { display: flex; gap: 0.5em; margin-left: auto; }
`;
