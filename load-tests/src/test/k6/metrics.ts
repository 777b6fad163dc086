import { k6 } from './state';

class Metric {
  constructor(
    readonly name: string,
    type: string,
  ) {
    k6.metrics.set(name, { type, values: [] });
  }
  add(value: number | boolean): void {
    k6.metrics.get(this.name)?.values.push(Number(value));
  }
}
export class Counter extends Metric {
  constructor(name: string) {
    super(name, 'counter');
  }
}
export class Rate extends Metric {
  constructor(name: string) {
    super(name, 'rate');
  }
}
export class Trend extends Metric {
  constructor(name: string) {
    super(name, 'trend');
  }
}
