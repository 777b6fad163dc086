/** The page behind an order's `approve` link: what the buyer sees in PayPal's popup. */

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export interface ApprovalPageOrder {
  id: string;
  status: string;
  amount: { currency_code: string; value: string };
  brandName: string | null;
}

/** Outcomes a sandbox buyer can pick: a normal account, or one whose funding will be declined. */
export const BUYER_FUNDING_CHOICES: readonly { value: string; label: string }[] = [
  { value: '', label: 'PayPal balance (pays normally)' },
  { value: 'INSTRUMENT_DECLINED', label: 'Card that the bank declines (INSTRUMENT_DECLINED)' },
  { value: 'TRANSACTION_REFUSED', label: 'Payment that PayPal refuses (TRANSACTION_REFUSED)' },
  { value: 'PAYER_CANNOT_PAY', label: 'Buyer who cannot pay this seller (PAYER_CANNOT_PAY)' },
];

export function approvalPage(order: ApprovalPageOrder): string {
  const title = `Pay ${escape(order.amount.value)} ${escape(order.amount.currency_code)}${order.brandName ? ` to ${escape(order.brandName)}` : ''}`;
  const canApprove = order.status === 'CREATED';
  const choices = BUYER_FUNDING_CHOICES.map((c) => `<option value="${escape(c.value)}">${escape(c.label)}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>PayPal sandbox: ${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1.5rem;margin:.25rem 0}</style></head>
<body>
<h1>PayPal sandbox</h1>
<p>${title}</p>
<p>Order <code id="order-id">${escape(order.id)}</code>, status <strong id="order-status">${escape(order.status)}</strong></p>
${
  canApprove
    ? `<form method="post" action="/checkoutnow/approve">
<input type="hidden" name="token" value="${escape(order.id)}">
<label>Pay with <select name="mock_application_codes">${choices}</select></label><br>
<button type="submit" id="approve">Pay now</button>
</form>
<form method="post" action="/checkoutnow/cancel">
<input type="hidden" name="token" value="${escape(order.id)}">
<button type="submit" id="cancel">Cancel and return</button>
</form>`
    : '<p>This order can no longer be approved.</p>'
}
</body>
</html>
`;
}

export function messagePage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><h1>${escape(title)}</h1><p id="message">${escape(message)}</p></body></html>
`;
}
