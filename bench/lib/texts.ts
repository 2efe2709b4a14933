// Customer messages of the kinds the analysis sees all day, for the benchmarks' load.
export const CUSTOMER_TEXTS = [
  'My order never arrived and I want a refund now!',
  'Hi, can you tell me how to change my password?',
  'This is the third time I am writing. Still no answer. Unacceptable.',
  'Thanks for the quick help yesterday, everything works now.',
  'The app crashes every time I open the settings page.',
  'I was charged twice for the same invoice, please fix this.',
  'When will my package be delivered? Tracking has not moved for days.',
  'I will cancel my subscription if this is not fixed today.',
];
