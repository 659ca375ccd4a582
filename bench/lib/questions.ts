/**
 * Questions for benchmark runs on real engines: each repetition asks a question no earlier run asked, so an
 * engine's prompt cache cannot serve a prompt from an earlier repetition (it would hide prefill). Similar in length
 * and kind, so runs stay comparable. `QuestionDeck` hands them out without repeats.
 */
export const QUESTIONS: readonly string[] = [
  'Why is the sky blue?',
  'Why do leaves change colour in autumn?',
  'How does a rainbow form?',
  'Why does ice float on water?',
  'What causes the seasons on Earth?',
  'Why is the sea salty?',
  'How do bees make honey?',
  'Why do cats purr?',
  'How does a compass work?',
  'Why does bread rise?',
  'What makes thunder loud?',
  'Why do onions make people cry?',
  'How do plants drink water?',
  'Why is the moon sometimes visible by day?',
  'How does soap clean dirty hands?',
  'Why do stars twinkle at night?',
  'How do birds know where to migrate?',
  'Why does metal feel colder than wood?',
  'How does a refrigerator keep food cold?',
  'Why do we get goosebumps?',
  'What makes popcorn pop?',
  'Why is snow white?',
  'How do fish breathe under water?',
  'Why do apples turn brown when cut?',
  'How does a bicycle stay upright?',
  'Why do we yawn?',
  'How are clouds formed?',
  'Why does the wind blow?',
  'How does a microwave oven heat food?',
  'Why do volcanoes erupt?',
  'How do magnets attract iron?',
  'Why is grass green?',
  'How do tides work?',
  'Why do dogs pant?',
  'How does an echo happen?',
  'Why does hot air rise?',
  'How do spiders spin webs?',
  'Why do we need sleep?',
  'How does a thermometer measure heat?',
  'Why do boats float?',
  'How does lightning start?',
  'Why do bubbles look colourful?',
  'How do camels survive in the desert?',
  'Why does salt melt ice on roads?',
  'How do owls see in the dark?',
  'Why do mirrors reverse left and right?',
  'How do earthquakes happen?',
  'Why is the sunset red?',
  'How do vaccines protect people?',
  'Why do some trees lose their leaves?',
  'How does a kite fly?',
  'Why does a spoon look bent in water?',
  'How do ants find food?',
  'Why do we have fingerprints?',
  'How does a battery store energy?',
  'Why does milk boil over?',
  'How do chameleons change colour?',
  'Why do ears pop on planes?',
  'How does glass get made?',
  'Why do coffee stains form rings?',
  'How do glaciers move?',
  'Why do we hiccup?',
  'How does a solar panel make electricity?',
  'Why do zebras have stripes?',
  'How do penguins stay warm?',
  'Why does a balloon stick to hair?',
  'How does yeast make beer?',
  'Why is gold so valuable?',
  'How do deserts form?',
  'Why do tea leaves sink?',
  'How do bats find insects?',
  'Why do cut flowers wilt?',
  'How does paper get recycled?',
  'Why does a candle flame point up?',
  'How do submarines dive?',
  'Why do frogs croak?',
  'How does rust form on iron?',
  'Why are flamingos pink?',
  'How do wind turbines work?',
  'Why does a kettle whistle?',
];

/** Hands out questions in order, each once; a suite that needs more than there are fails, naming how many it asked. */
export class QuestionDeck {
  private next = 0;
  constructor(private readonly questions: readonly string[] = QUESTIONS) {}
  draw(): string {
    const question = this.questions[this.next];
    if (question === undefined) throw new Error(`QuestionDeck: all ${this.questions.length} questions are used; add more to bench/lib/questions.ts`);
    this.next += 1;
    return question;
  }
}
