// <attention-moa> in JSX: its attributes, typed for React 19 (which passes them to custom elements as they are).
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { AttentionMoAElement } from '@attention-moa/element';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'attention-moa': DetailedHTMLProps<HTMLAttributes<AttentionMoAElement>, AttentionMoAElement> & {
        models?: string;
        layers?: number;
        attention?: 'full' | 'self' | 'ring' | 'none';
        'early-stop'?: 'judge' | 'similarity' | 'off';
        'max-tokens'?: string | number;
        aggregator?: string;
        simulated?: boolean;
        placeholder?: string;
      };
    }
  }
}
