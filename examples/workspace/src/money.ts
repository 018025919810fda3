// Money is kept in integer cents so that sums never pick up floating-point dust.

export type Cents = number;

export function cents(amount: number): Cents {
  return Math.round(amount * 100);
}

export function formatCents(value: Cents, currency = 'EUR'): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const whole = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, '0');
  return `${sign}${whole}.${fraction} ${currency}`;
}

export function sumCents(values: readonly Cents[]): Cents {
  return values.reduce((total, v) => total + v, 0);
}

export function percentOf(value: Cents, percent: number): Cents {
  return Math.round((value * percent) / 100);
}
