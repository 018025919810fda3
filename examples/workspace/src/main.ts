// Builds a sample cart and prints a receipt.
import { Cart } from './cart.js';
import { formatCents } from './money.js';
import { computeTotals } from './pricing.js';

function printReceipt(cart: Cart): void {
  for (const line of cart.lines()) {
    const amount = formatCents(line.product.unitPrice * line.quantity);
    console.log(`${line.quantity} x ${line.product.name.padEnd(20)} ${amount}`);
  }
  const totals = computeTotals(cart);
  console.log(`Subtotal ${formatCents(totals.subtotal)}`);
  for (const discount of totals.discounts) {
    console.log(`  ${discount.description}: -${formatCents(discount.amount)}`);
  }
  console.log(`Tax      ${formatCents(totals.tax)}`);
  console.log(`Total    ${formatCents(totals.total)}`);
}

const cart = new Cart();
cart.add('BRD-001');
cart.add('BRD-002', 2);
cart.add('DAI-010', 2);
cart.add('PAN-200');
printReceipt(cart);
