import TinyQueue from 'tinyqueue';
import type { JobSpec, Plan } from '../search/index.js';

export type GraphState = 'pending' | 'running' | 'done' | 'failed';

interface Node {
  spec: JobSpec;
  state: GraphState;
  /** Order in which the plan first needs it: earlier trials finish first. */
  priority: number;
  waitingOn: number;
  dependents: string[];
}

/**
 * The plan's jobs as a DAG with states, in memory: the scheduler asks it for ready jobs
 * (pending, every dependency done) in plan order, so trials complete one after another and a
 * partial sweep is useful early. The store stays the record; this is the working copy.
 */
export class JobGraph {
  private readonly nodes = new Map<string, Node>();
  private readonly ready = new TinyQueue<Node>([], (a, b) => a.priority - b.priority);
  private done = 0;

  constructor(plan: Plan, stored: Map<string, string>) {
    let priority = 0;
    for (const trialPlan of plan.trials.values()) {
      for (const key of trialPlan.jobs) {
        if (this.nodes.has(key)) continue;
        const spec = plan.jobs.get(key) as JobSpec;
        const storedState = stored.get(key);
        const state: GraphState = storedState === 'done' ? 'done' : storedState === 'failed' ? 'failed' : 'pending';
        this.nodes.set(key, { spec, state, priority: priority++, waitingOn: 0, dependents: [] });
      }
    }
    for (const node of this.nodes.values()) {
      for (const dep of node.spec.deps) {
        const depNode = this.nodes.get(dep);
        if (!depNode) continue;
        depNode.dependents.push(node.spec.key);
        if (depNode.state !== 'done') node.waitingOn++;
      }
    }
    for (const node of this.nodes.values()) {
      if (node.state === 'done') this.done++;
      if (node.state === 'pending' && node.waitingOn === 0) this.ready.push(node);
    }
  }

  get doneCount(): number {
    return this.done;
  }

  /** Failed jobs get another chance in a new run (a fresh budget of attempts). */
  retryFailed(): number {
    let count = 0;
    for (const node of this.nodes.values()) {
      if (node.state !== 'failed') continue;
      node.state = 'pending';
      count++;
      if (node.waitingOn === 0) this.ready.push(node);
    }
    return count;
  }

  nextReady(): JobSpec | undefined {
    while (this.ready.length > 0) {
      const node = this.ready.pop() as Node;
      if (node.state === 'pending') return node.spec;
    }
    return undefined;
  }

  hasReady(): boolean {
    return this.ready.length > 0;
  }

  markRunning(key: string): void {
    this.node(key).state = 'running';
  }

  markDone(key: string): void {
    const node = this.node(key);
    if (node.state !== 'done') this.done++;
    node.state = 'done';
    for (const dependent of node.dependents) {
      const next = this.node(dependent);
      next.waitingOn--;
      if (next.waitingOn === 0 && next.state === 'pending') this.ready.push(next);
    }
  }

  markFailed(key: string): void {
    this.node(key).state = 'failed';
  }

  /** Back to pending (retry or interruption): ready again at once. */
  markPending(key: string): void {
    const node = this.node(key);
    node.state = 'pending';
    if (node.waitingOn === 0) this.ready.push(node);
  }

  state(key: string): GraphState {
    return this.node(key).state;
  }

  counts(): Record<GraphState, number> {
    const counts: Record<GraphState, number> = { pending: 0, running: 0, done: 0, failed: 0 };
    for (const node of this.nodes.values()) counts[node.state]++;
    return counts;
  }

  get size(): number {
    return this.nodes.size;
  }

  private node(key: string): Node {
    const node = this.nodes.get(key);
    if (!node) throw new Error(`job ${key} is not part of this plan`);
    return node;
  }
}
