// A shopping cart: line items keyed by SKU, with quantities.
import { findProduct, type Product } from './catalog.js';
import { sumCents, type Cents } from './money.js';

export interface LineItem {
  product: Product;
  quantity: number;
}

export class Cart {
  private readonly items = new Map<string, LineItem>();

  add(sku: string, quantity = 1): void {
    const product = findProduct(sku);
    if (!product) {
      throw new Error(`Unknown SKU ${sku}`);
    }
    const existing = this.items.get(sku);
    if (existing) {
      existing.quantity += quantity;
    } else {
      this.items.set(sku, { product, quantity });
    }
  }

  remove(sku: string): void {
    this.items.delete(sku);
  }

  lines(): LineItem[] {
    return [...this.items.values()];
  }

  subtotal(): Cents {
    return sumCents(this.lines().map((line) => line.product.unitPrice * line.quantity));
  }

  isEmpty(): boolean {
    return this.items.size === 0;
  }
}
