// The products the shop sells, and lookup by SKU.
import { cents, type Cents } from './money.js';

export type Category = 'bakery' | 'dairy' | 'produce' | 'pantry';

export interface Product {
  sku: string;
  name: string;
  category: Category;
  unitPrice: Cents;
}

const products: Product[] = [
  { sku: 'BRD-001', name: 'Sourdough loaf', category: 'bakery', unitPrice: cents(4.2) },
  { sku: 'BRD-002', name: 'Croissant', category: 'bakery', unitPrice: cents(1.35) },
  { sku: 'DAI-010', name: 'Whole milk 1L', category: 'dairy', unitPrice: cents(1.19) },
  { sku: 'DAI-011', name: 'Aged cheddar 200g', category: 'dairy', unitPrice: cents(3.8) },
  { sku: 'PRO-100', name: 'Apples 1kg', category: 'produce', unitPrice: cents(2.49) },
  { sku: 'PAN-200', name: 'Olive oil 500ml', category: 'pantry', unitPrice: cents(7.9) },
];

const bySku = new Map(products.map((p) => [p.sku, p]));

export function findProduct(sku: string): Product | undefined {
  return bySku.get(sku);
}

export function productsIn(category: Category): Product[] {
  return products.filter((p) => p.category === category);
}
