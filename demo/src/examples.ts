/** Example questions offered on an empty conversation. The simulation has a hand-written deliberation for each. */
export const EXAMPLE_PROMPTS = [
  'Why is the sky blue? Explain it to a curious 12-year-old.',
  'Write a JavaScript function that removes duplicates from an array and keeps the order.',
  'What are the pros and cons of remote work for a small team?',
];
