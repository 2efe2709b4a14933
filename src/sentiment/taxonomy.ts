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
  technical: 'Something does not work: an app, a website, a card, a payment or transfer that fails',
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

/** BANKING77 intents (a bank's customers' queries, CC BY 4.0). */
export const BANKING_INTENT: Record<string, ComplaintCategory> = {
  card_payment_fee_charged: 'billing', direct_debit_payment_not_recognised: 'billing', card_payment_not_recognised: 'billing',
  wrong_amount_of_cash_received: 'billing', card_payment_wrong_exchange_rate: 'billing', cash_withdrawal_charge: 'billing',
  transaction_charged_twice: 'billing', extra_charge_on_statement: 'billing', transfer_fee_charged: 'billing',
  wrong_exchange_rate_for_cash_withdrawal: 'billing', exchange_charge: 'billing', top_up_by_card_charge: 'billing',
  top_up_by_bank_transfer_charge: 'billing', cash_withdrawal_not_recognised: 'billing',
  request_refund: 'refund', Refund_not_showing_up: 'refund', 'reverted_card_payment?': 'refund',
  card_arrival: 'delivery', card_delivery_estimate: 'delivery',
  pending_transfer: 'delay', pending_top_up: 'delay', pending_cash_withdrawal: 'delay', pending_card_payment: 'delay',
  transfer_not_received_by_recipient: 'delay', balance_not_updated_after_bank_transfer: 'delay', balance_not_updated_after_cheque_or_cash_deposit: 'delay',
  verify_my_identity: 'account', unable_to_verify_identity: 'account', passcode_forgotten: 'account', pin_blocked: 'account', change_pin: 'account',
  edit_personal_details: 'account', compromised_card: 'account', verify_source_of_funds: 'account', verify_top_up: 'account',
  terminate_account: 'cancellation', cancel_transfer: 'cancellation',
  lost_or_stolen_card: 'lost_damaged', lost_or_stolen_phone: 'lost_damaged',
  card_not_working: 'technical', contactless_not_working: 'technical', virtual_card_not_working: 'technical', declined_card_payment: 'technical',
  declined_cash_withdrawal: 'technical', declined_transfer: 'technical', top_up_failed: 'technical', failed_transfer: 'technical',
  card_swallowed: 'technical', beneficiary_not_allowed: 'technical', top_up_reverted: 'technical', activate_my_card: 'technical',
  order_physical_card: 'order', get_physical_card: 'order', getting_spare_card: 'order', getting_virtual_card: 'order', get_disposable_virtual_card: 'order',
  visa_or_mastercard: 'question', country_support: 'question', fiat_currency_support: 'question', supported_cards_and_currencies: 'question',
  disposable_card_limits: 'question', exchange_rate: 'question', exchange_via_app: 'question', age_limit: 'question', top_up_limits: 'question',
  atm_support: 'question', card_acceptance: 'question', receiving_money: 'question', transfer_into_account: 'question', automatic_top_up: 'question',
  top_up_by_cash_or_cheque: 'question', topping_up_by_card: 'question', transfer_timing: 'question', why_verify_identity: 'question',
  card_about_to_expire: 'question', card_linking: 'question', apple_pay_or_google_pay: 'question',
};

/** Maps a label from any known source to the taxonomy (or leaves it as it is). */
export function toTaxonomy(label: string): string {
  return AIRLINE_REASON[label] ?? SUPPORT_INTENT[label] ?? CFPB_ISSUE[label] ?? BANKING_INTENT[label] ?? label;
}
