/**
 * Stripe's documented test PaymentMethods (https://docs.stripe.com/testing) with the
 * outcome Stripe's test mode gives each one when a PaymentIntent is confirmed.
 */
export interface CardDetails {
  brand: string;
  last4: string;
  funding: 'credit' | 'debit' | 'prepaid';
  country: string;
}

export type TestOutcome =
  | { kind: 'succeeds' }
  | { kind: 'declines'; code: string; declineCode: string; message: string; param?: string }
  | { kind: 'requires_action' };

export interface TestPaymentMethod {
  card: CardDetails;
  outcome: TestOutcome;
}

const visa: CardDetails = { brand: 'visa', last4: '4242', funding: 'credit', country: 'US' };
const declineCard = (last4: string): CardDetails => ({ brand: 'visa', last4, funding: 'credit', country: 'US' });

const declined = (code: string, declineCode: string, message: string, param?: string): TestOutcome => ({
  kind: 'declines',
  code,
  declineCode,
  message,
  ...(param ? { param } : {}),
});

export const TEST_PAYMENT_METHODS: Readonly<Record<string, TestPaymentMethod>> = {
  pm_card_visa: { card: visa, outcome: { kind: 'succeeds' } },
  pm_card_visa_debit: { card: { brand: 'visa', last4: '5556', funding: 'debit', country: 'US' }, outcome: { kind: 'succeeds' } },
  pm_card_mastercard: {
    card: { brand: 'mastercard', last4: '4444', funding: 'credit', country: 'US' },
    outcome: { kind: 'succeeds' },
  },
  pm_card_amex: { card: { brand: 'amex', last4: '8431', funding: 'credit', country: 'US' }, outcome: { kind: 'succeeds' } },
  pm_card_discover: {
    card: { brand: 'discover', last4: '1117', funding: 'credit', country: 'US' },
    outcome: { kind: 'succeeds' },
  },
  pm_card_chargeDeclined: {
    card: declineCard('0002'),
    outcome: declined('card_declined', 'generic_decline', 'Your card was declined.'),
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    card: declineCard('9995'),
    outcome: declined('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
  },
  pm_card_chargeDeclinedLostCard: {
    card: declineCard('9987'),
    outcome: declined('card_declined', 'lost_card', 'Your card was declined.'),
  },
  pm_card_chargeDeclinedStolenCard: {
    card: declineCard('9979'),
    outcome: declined('card_declined', 'stolen_card', 'Your card was declined.'),
  },
  pm_card_chargeDeclinedFraudulent: {
    card: declineCard('0019'),
    outcome: declined('card_declined', 'fraudulent', 'Your card was declined.'),
  },
  pm_card_chargeDeclinedExpiredCard: {
    card: declineCard('0069'),
    outcome: declined('expired_card', 'expired_card', 'Your card has expired.', 'exp_month'),
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    card: declineCard('0127'),
    outcome: declined('incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect.", 'cvc'),
  },
  pm_card_chargeDeclinedProcessingError: {
    card: declineCard('0119'),
    outcome: declined(
      'processing_error',
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
    ),
  },
  pm_card_authenticationRequired: {
    card: { brand: 'visa', last4: '3184', funding: 'credit', country: 'US' },
    outcome: { kind: 'requires_action' },
  },
};

/** The decline codes the test PaymentMethods produce, by PaymentMethod. */
export const STRIPE_TEST_DECLINES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TEST_PAYMENT_METHODS).flatMap(([id, pm]) =>
    pm.outcome.kind === 'declines' ? [[id, pm.outcome.declineCode]] : [],
  ),
);
