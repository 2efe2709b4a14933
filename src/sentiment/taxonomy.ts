// The default complaint taxonomy: what customers contact support about, in words that fit
// any business. The shipped model is trained on the shared data mapped into it; a user can
// train on their own labels and taxonomy instead (`npm run train`, `npm run eval --train-on`).

export const COMPLAINT_CATEGORIES = {
  billing: 'Charges, payments, invoices, fees, disputed debts',
  refund: 'Getting money back',
  delivery: 'Shipping, delivery, tracking a parcel',
  order: 'Placing, changing or booking an order, reservation or application',
  account: 'Sign-up, log-in, password, account data and records, security',
  cancellation: 'The customer wants to cancel or close (a churn signal)',
  product_quality: 'The product or service itself was bad',
  service_staff: 'How staff or support treated the customer; waiting; being ignored',
  delay: 'Something late, postponed or cancelled by the business',
  lost_damaged: 'Something lost or damaged',
  praise: 'Thanks and compliments',
  question: 'A question or request without a complaint',
  other: 'A complaint whose subject is unclear',
} as const;

export type ComplaintCategory = keyof typeof COMPLAINT_CATEGORIES;
export const COMPLAINT_CLASSES = Object.keys(COMPLAINT_CATEGORIES) as ComplaintCategory[];

/** Airline tweets: `negativereason` of negative tweets; positive tweets are praise, neutral ones questions. */
export const AIRLINE_REASON: Record<string, ComplaintCategory> = {
  'Customer Service Issue': 'service_staff',
  'Flight Attendant Complaints': 'service_staff',
  longlines: 'service_staff',
  'Late Flight': 'delay',
  'Cancelled Flight': 'delay',
  'Lost Luggage': 'lost_damaged',
  'Damaged Luggage': 'lost_damaged',
  'Bad Flight': 'product_quality',
  'Flight Booking Problems': 'order',
  "Can't Tell": 'other',
};

/** Customer-support requests: `category` / `intent`. Intent decides where it is more specific. */
export const SUPPORT_INTENT: Record<string, ComplaintCategory | null> = {
  payment_issue: 'billing',
  check_payment_methods: 'billing',
  get_invoice: 'billing',
  check_invoices: 'billing',
  get_refund: 'refund',
  check_refund_policy: 'refund',
  track_refund: 'refund',
  create_account: 'account',
  recover_password: 'account',
  switch_account: 'account',
  edit_account: 'account',
  registration_problems: 'account',
  delete_account: 'cancellation',
  check_cancellation_fee: 'cancellation',
  cancel_order: 'cancellation',
  track_order: 'delivery',
  delivery_options: 'delivery',
  delivery_period: 'delivery',
  change_shipping_address: 'delivery',
  set_up_shipping_address: 'delivery',
  change_order: 'order',
  place_order: 'order',
  contact_customer_service: 'question',
  contact_human_agent: 'question',
  newsletter_subscription: 'question',
  complaint: 'service_staff',
  // A review may praise or complain: not a label we can use.
  review: null,
};

/** Consumer complaints (CFPB): `Issue`. Issues not listed are left out of training. */
export const CFPB_ISSUE: Record<string, ComplaintCategory> = {
  'Incorrect information on your report': 'account',
  "Problem with a credit reporting company's investigation into an existing problem": 'account',
  'Improper use of your report': 'account',
  'Managing an account': 'account',
  'Unable to get your credit report or credit score': 'account',
  'Problem with fraud alerts or security freezes': 'account',
  'Credit monitoring or identity theft protection services': 'account',
  'Identity theft protection or other monitoring services': 'account',
  'Opening an account': 'account',
  'Fraud or scam': 'account',
  'Closing an account': 'cancellation',
  'Closing your account': 'cancellation',
  'Attempts to collect debt not owed': 'billing',
  "Cont'd attempts collect debt not owed": 'billing',
  'Written notification about debt': 'billing',
  'Trouble during payment process': 'billing',
  'Problem with a purchase shown on your statement': 'billing',
  'Problem when making payments': 'billing',
  'Fees or interest': 'billing',
  "Charged fees or interest you didn't expect": 'billing',
  'Problem with a lender or other company charging your account': 'billing',
  'Unexpected or other fees': 'billing',
  'Problem caused by your funds being low': 'billing',
  'Unauthorized transactions or other transaction problem': 'billing',
  'Struggling to pay mortgage': 'billing',
  'Struggling to pay your loan': 'billing',
  'Struggling to repay your loan': 'billing',
  'Struggling to pay your bill': 'billing',
  'Communication tactics': 'service_staff',
  'Dealing with your lender or servicer': 'service_staff',
  'False statements or representation': 'service_staff',
  'Took or threatened to take negative or legal action': 'service_staff',
  'Applying for a mortgage or refinancing an existing mortgage': 'order',
  'Closing on a mortgage': 'order',
  'Getting the loan': 'order',
  'Getting a loan or lease': 'order',
  'Getting a credit card': 'order',
};

/** Maps a label from any known source to the taxonomy (or leaves it as it is). */
export function toTaxonomy(label: string): string {
  return AIRLINE_REASON[label] ?? SUPPORT_INTENT[label] ?? CFPB_ISSUE[label] ?? label;
}
