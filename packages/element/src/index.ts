/** @attention-moa/element — the `<attention-moa>` web component (in progress: see issue 6). */
export const TAG_NAME = 'attention-moa';
