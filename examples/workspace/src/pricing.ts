// Discounts and tax applied to a cart, producing the figures printed on a receipt.
import type { Cart } from './cart.js';
import { percentOf, type Cents } from './money.js';

export interface Discount {
  description: string;
  amount: Cents;
}

export interface Totals {
  subtotal: Cents;
  discounts: Discount[];
  tax: Cents;
  total: Cents;
}

const TAX_PERCENT = 7;

/** Three or more bakery items get 10% off the bakery items. */
function bakeryDeal(cart: Cart): Discount | undefined {
  const bakery = cart.lines().filter((line) => line.product.category === 'bakery');
  const count = bakery.reduce((n, line) => n + line.quantity, 0);
  if (count < 3) {
    return undefined;
  }
  const value = bakery.reduce((sum, line) => sum + line.product.unitPrice * line.quantity, 0);
  return { description: 'Bakery: 10% off three or more', amount: percentOf(value, 10) };
}

export function applyDiscounts(cart: Cart): Discount[] {
  return [bakeryDeal(cart)].filter((d): d is Discount => d !== undefined);
}

export function computeTotals(cart: Cart): Totals {
  const subtotal = cart.subtotal();
  const discounts = applyDiscounts(cart);
  const discounted = subtotal - discounts.reduce((sum, d) => sum + d.amount, 0);
  const tax = percentOf(discounted, TAX_PERCENT);
  return { subtotal, discounts, tax, total: discounted + tax };
}
