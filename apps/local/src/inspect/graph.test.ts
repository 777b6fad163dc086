import { buildCheckoutDefinition } from '@orderflow/order-workflow';
import { compileStateMachine } from '@orderflow/state-machine-runtime';
import { describe, expect, it } from 'vitest';
import { executionPath, renderWorkflowSvg } from './graph';

/** A Map whose second line fails, caught into a compensation, then a Fail state. */
const definition = {
  QueryLanguage: 'JSONata',
  StartAt: 'Price',
  States: {
    Price: { Type: 'Pass', Next: 'Reserve' },
    Reserve: {
      Type: 'Map',
      Items: '{% $states.input.items %}',
      MaxConcurrency: 1,
      ItemProcessor: {
        StartAt: 'ReserveOne',
        States: {
          ReserveOne: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: { FunctionName: 'reserve', Payload: '{% $states.input %}' },
            End: true,
          },
        },
      },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Release' }],
      Next: 'Pay',
    },
    Pay: { Type: 'Pass', Next: 'Done' },
    Release: { Type: 'Pass', Next: 'Rejected' },
    Rejected: { Type: 'Fail', Error: 'OutOfStock', Cause: 'no stock' },
    Done: { Type: 'Succeed' },
  },
};

class OutOfStockError extends Error {
  override name = 'OutOfStockError';
}

async function run(items: string[]) {
  const machine = compileStateMachine(definition, {
    integrations: {
      lambdaFunctions: {
        reserve: async (item: never) => {
          const { id } = item as { id: string };
          if (id === 'bad') throw new OutOfStockError('none left');
          return { reserved: id };
        },
      },
    },
  });
  return machine.execute({ items: items.map((id) => ({ id })) });
}

function stateBoxes(svg: string): Map<string, { x: number; y: number; w: number; h: number; classes: string }> {
  const boxes = new Map<string, { x: number; y: number; w: number; h: number; classes: string }>();
  const pattern = /<g class="([^"]*)" data-state="([^"]+)"><title>[^<]*<\/title>\s*<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g;
  for (const m of svg.matchAll(pattern)) {
    boxes.set(m[2] as string, { classes: m[1] as string, x: Number(m[3]), y: Number(m[4]), w: Number(m[5]), h: Number(m[6]) });
  }
  return boxes;
}

describe('executionPath', () => {
  it('reads the states visited, the transitions taken, failures and Map iterations from the history', async () => {
    const result = await run(['good', 'bad']);
    expect(result.status).toBe('FAILED');
    const path = executionPath(result.history);
    expect(path.status).toBe('FAILED');
    expect([...path.visited].sort()).toEqual(['Price', 'Rejected', 'Release', 'Reserve', 'ReserveOne']);
    expect(path.transitions).toEqual(new Set(['Price->Reserve', 'Reserve->Release', 'Release->Rejected']));
    expect(path.failed.get('ReserveOne')).toBe('OutOfStockError');
    expect(path.failed.has('Reserve')).toBe(true);
    expect(path.mapIterations.get('Reserve')).toEqual({ iterations: 2, failed: 1 });
    expect(path.failedAt).toBe('Rejected');
  });

  it('sees a clean run as such', async () => {
    const path = executionPath((await run(['a', 'b', 'c'])).history);
    expect(path.status).toBe('SUCCEEDED');
    expect(path.failed.size).toBe(0);
    expect(path.failedAt).toBeUndefined();
    expect(path.transitions).toEqual(new Set(['Price->Reserve', 'Reserve->Pay', 'Pay->Done']));
    expect(path.mapIterations.get('Reserve')).toEqual({ iterations: 3, failed: 0 });
  });
});

describe('renderWorkflowSvg', () => {
  it('draws every state, the Map around its inner states, and the path of an execution', async () => {
    const path = executionPath((await run(['good', 'bad'])).history);
    const svg = renderWorkflowSvg(definition, path, 'exec-1 · FAILED');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const boxes = stateBoxes(svg);
    expect([...boxes.keys()].sort()).toEqual(['Done', 'Pay', 'Price', 'Rejected', 'Release', 'Reserve', 'ReserveOne']);
    expect(boxes.get('Price')?.classes).toBe('state visited');
    expect(boxes.get('ReserveOne')?.classes).toBe('state visited failed');
    expect(boxes.get('Rejected')?.classes).toContain('failed-at');
    expect(boxes.get('Pay')?.classes).toBe('state');
    const map = boxes.get('Reserve');
    const inner = boxes.get('ReserveOne');
    if (!map || !inner) throw new Error('missing boxes');
    expect(inner.x).toBeGreaterThan(map.x);
    expect(inner.y + inner.h).toBeLessThan(map.y + map.h);
    expect(svg).toContain('×2 iterations, 1 failed');
    expect(svg).toContain('OutOfStockError');
    expect(svg).toMatch(/class="edge taken" data-from="Price" data-to="Reserve"/);
    expect(svg).toMatch(/class="edge" data-from="Reserve" data-to="Pay"/);
    expect(svg).toContain('exec-1 · FAILED');
  });

  it('lays out the checkout workflow with no two states overlapping', () => {
    const checkout = buildCheckoutDefinition();
    const svg = renderWorkflowSvg(checkout);
    const boxes = stateBoxes(svg);
    const topLevel = Object.keys(checkout.States);
    expect(topLevel.every((name) => boxes.has(name))).toBe(true);
    const list = topLevel.map((name) => boxes.get(name) as { x: number; y: number; w: number; h: number });
    for (let i = 0; i < list.length; i += 1) {
      for (let j = i + 1; j < list.length; j += 1) {
        const a = list[i] as { x: number; y: number; w: number; h: number };
        const b = list[j] as { x: number; y: number; w: number; h: number };
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${topLevel[i]} and ${topLevel[j]} overlap`).toBe(false);
      }
    }
    // The start state on top, the final Respond state at the bottom.
    const ys = list.map((b) => b.y);
    expect(boxes.get(checkout.StartAt as string)?.y).toBe(Math.min(...ys));
  });
});
