/**
 * The best combination of usable coupons under the stacking rules — exact, not greedy.
 *
 * Rules: an exclusive coupon combines with nothing; at most one coupon per stacking group; at most
 * `capacity` coupons of one template. The value of a set is Σ over lines of min(line total, Σ of the
 * set's shares on that line) (see checkout-money.ts). Order of preference: the larger value, then
 * fewer coupons, then the set whose coupons expire first (their (expiry, listing index) pairs sorted
 * and compared in turn), which makes the answer unique.
 *
 * Search: exclusive coupons are compared one by one with the best stack of the others, found in
 * two exact phases. Phase 1, a branch and bound over "units" (a stacking group: which of its
 * templates, if any; a template without a group: how many of its coupons — coupons of one template
 * have the same shares, so they are counted, not told apart), finds the largest value and the fewest
 * coupons that reach it; it prunes by what the remaining units could still add to each line and, at
 * equal value, by how many more coupons reaching it would take. Phase 2 finds, among the sets with
 * that value and count, the one that expires first: it decides coupon by coupon in expiry order,
 * taking before leaving, so the first set it meets is the answer. Two phases rather than one keep
 * ties cheap: a single search would have to visit every set of equal value to compare expiries.
 */
import { allocate } from "./checkout-money.js";
import { sortSmall } from "./small-sort.js";

/** One usable coupon as the search sees it. */
export interface CombinationCoupon {
  /** Position in the evaluation's listing: the final tie-break and the order of the answer. */
  listIndex: number;
  template: string;
  /** validUntil, Infinity for never. */
  expiresAt: number;
  group: string | null;
  exclusive: boolean;
}

/** What one coupon of a template is worth on the cart: its shares on its eligible lines. */
export interface TemplateShares {
  saving: number;
  lines: readonly number[];
  shares: readonly number[];
  /** How many coupons of it may be used together. */
  capacity: number;
}

export interface CombinationProblem {
  lineTotals: readonly number[];
  coupons: readonly CombinationCoupon[];
  templates: ReadonlyMap<string, TemplateShares>;
}

export interface Combination {
  /** Indexes into problem.coupons, ascending by listIndex. */
  coupons: number[];
  value: number;
}

/** A template's shares: its saving spread over its eligible lines (checkout-money.ts allocate). */
export function templateShares(
  saving: number,
  lines: readonly number[],
  lineTotals: readonly number[],
  capacity: number,
): TemplateShares {
  return { saving, lines, shares: allocate(saving, lines, lineTotals), capacity };
}

/** The value of a set of coupons (indexes into problem.coupons). */
export function combinationValue(problem: CombinationProblem, set: readonly number[]): number {
  const covered = new Array<number>(problem.lineTotals.length).fill(0);
  for (const i of set) {
    const t = problem.templates.get(problem.coupons[i].template)!;
    for (let k = 0; k < t.lines.length; k++) covered[t.lines[k]] += t.shares[k];
  }
  let value = 0;
  for (let line = 0; line < covered.length; line++)
    value += Math.min(covered[line], problem.lineTotals[line]);
  return value;
}

/** Earlier expiry first, then listing order. (Infinity − Infinity is NaN, which falls through to the index.) */
function byExpiry(x: CombinationCoupon, y: CombinationCoupon): number {
  return x.expiresAt - y.expiresAt || x.listIndex - y.listIndex;
}

/** Negative when set `a` is preferred to set `b` (same value assumed: fewer coupons, then expiry). */
export function compareTies(problem: CombinationProblem, a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  if (a.length === 1) return byExpiry(problem.coupons[a[0]], problem.coupons[b[0]]);
  const ka = sortSmall(
    a.map((i) => problem.coupons[i]),
    byExpiry,
  );
  const kb = sortSmall(
    b.map((i) => problem.coupons[i]),
    byExpiry,
  );
  for (let k = 0; k < ka.length; k++) {
    const d = byExpiry(ka[k], kb[k]);
    if (d !== 0) return d;
  }
  return 0;
}

/** One choice inside a unit: `count` coupons of template `t`. */
interface Option {
  t: number;
  count: number;
  saving: number;
}

interface Unit {
  /** Most valuable first; "take nothing" is tried after all of them. */
  options: Option[];
}

/** The stackable (non-exclusive) candidates, by template. */
interface Stacking {
  problem: CombinationProblem;
  totals: readonly number[];
  /** Per template index: its coupons (indexes into problem.coupons), earliest expiry first. */
  couponsOf: number[][];
  shares: TemplateShares[];
  groupOf: (string | null)[];
}

/** The best combination of `problem.coupons`. */
export function bestCombination(problem: CombinationProblem): Combination {
  let best: Combination = { coupons: [], value: 0 };
  const consider = (set: number[], value: number) => {
    if (value > best.value || (value === best.value && compareTies(problem, set, best.coupons) < 0)) {
      best = { coupons: set, value };
    }
  };
  const stackable: number[] = [];
  problem.coupons.forEach((c, i) => {
    if (problem.templates.get(c.template)!.capacity < 1) return;
    if (c.exclusive) consider([i], combinationValue(problem, [i]));
    else stackable.push(i);
  });
  const stacking = byTemplate(problem, stackable);
  // Phase 1: the largest value and, for it, the fewest coupons. Phase 2: the set with those that
  // expires first — searched in that order, so the first one found is it.
  const optimum = bestValueAndCount(stacking);
  if (optimum.value > 0) consider(earliestSetWith(stacking, optimum.value, optimum.count), optimum.value);
  sortSmall(best.coupons, (a, b) => problem.coupons[a].listIndex - problem.coupons[b].listIndex);
  return best;
}

function byTemplate(problem: CombinationProblem, indexes: readonly number[]): Stacking {
  const templateIndex = new Map<string, number>();
  const couponsOf: number[][] = [];
  const shares: TemplateShares[] = [];
  const groupOf: (string | null)[] = [];
  for (const i of indexes) {
    const c = problem.coupons[i];
    // A coupon that adds no value is never in a preferred set.
    if (problem.templates.get(c.template)!.saving <= 0) continue;
    let t = templateIndex.get(c.template);
    if (t === undefined) {
      t = couponsOf.length;
      templateIndex.set(c.template, t);
      couponsOf.push([]);
      shares.push(problem.templates.get(c.template)!);
      groupOf.push(c.group);
    }
    couponsOf[t].push(i);
  }
  const byCouponExpiry = (a: number, b: number) => byExpiry(problem.coupons[a], problem.coupons[b]);
  for (const list of couponsOf) sortSmall(list, byCouponExpiry);
  return { problem, totals: problem.lineTotals, couponsOf, shares, groupOf };
}

/** What a stack of choices adds to each line: covered[line] += share × count (sign −1 takes it back). */
function cover(covered: Float64Array, totals: readonly number[], sh: TemplateShares, count: number): number {
  let delta = 0;
  for (let k = 0; k < sh.lines.length; k++) {
    const line = sh.lines[k];
    const total = totals[line];
    const before = covered[line];
    const after = before + sh.shares[k] * count;
    covered[line] = after;
    delta += Math.min(after, total) - Math.min(before, total);
  }
  return delta;
}

/** Σ over lines of min(total, covered + room): the most any completion could reach. */
function boundOf(covered: Float64Array, room: Float64Array, totals: readonly number[]): number {
  let bound = 0;
  for (let l = 0; l < totals.length; l++) bound += Math.min(totals[l], covered[l] + room[l]);
  return bound;
}

/**
 * The fewest items of `savings` (largest first, as prefix sums) whose sum reaches `need`, or
 * Infinity: no set of coupons can add `need` with fewer coupons, as no coupon adds more than its saving.
 */
function fewestReaching(sums: readonly number[], need: number): number {
  if (need <= 0) return 0;
  for (let k = 1; k < sums.length; k++) if (sums[k] >= need) return k;
  return Number.POSITIVE_INFINITY;
}

function prefixSums(savings: number[]): number[] {
  sortSmall(savings, (a, b) => b - a);
  const sums = [0];
  for (const v of savings) sums.push(sums[sums.length - 1] + v);
  return sums;
}

/** Phase 1: branch and bound over units (a group: which template; a template without a group: how many). */
function bestValueAndCount(st: Stacking): { value: number; count: number } {
  const units: Unit[] = [];
  const groups = new Map<string, Unit>();
  for (let t = 0; t < st.couponsOf.length; t++) {
    const saving = st.shares[t].saving;
    const group = st.groupOf[t];
    if (group !== null) {
      let unit = groups.get(group);
      if (unit === undefined) {
        unit = { options: [] };
        groups.set(group, unit);
        units.push(unit);
      }
      unit.options.push({ t, count: 1, saving });
    } else {
      const max = Math.min(st.shares[t].capacity, st.couponsOf[t].length);
      const options: Option[] = [];
      for (let count = max; count >= 1; count--) options.push({ t, count, saving: saving * count });
      units.push({ options });
    }
  }
  for (const unit of units) sortSmall(unit.options, (a, b) => b.saving - a.saving || a.t - b.t);
  sortSmall(units, (a, b) => b.options[0].saving - a.options[0].saving);

  const lineCount = st.totals.length;
  // room[u][line]: the most units u… could add to a line; sums[u]: their per-coupon savings, for the count bound.
  const room: Float64Array[] = new Array(units.length + 1);
  room[units.length] = new Float64Array(lineCount);
  const sums: number[][] = new Array(units.length + 1);
  const savings: number[] = [];
  sums[units.length] = [0];
  for (let u = units.length - 1; u >= 0; u--) {
    const line = Float64Array.from(room[u + 1]);
    const most = new Float64Array(lineCount);
    let count = 0;
    let perCoupon = 0;
    for (const o of units[u].options) {
      const sh = st.shares[o.t];
      for (let k = 0; k < sh.lines.length; k++) {
        const add = sh.shares[k] * o.count;
        if (add > most[sh.lines[k]]) most[sh.lines[k]] = add;
      }
      count = Math.max(count, o.count);
      perCoupon = Math.max(perCoupon, sh.saving);
    }
    for (let l = 0; l < lineCount; l++) line[l] += most[l];
    room[u] = line;
    for (let c = 0; c < count; c++) savings.push(perCoupon);
    sums[u] = prefixSums([...savings]);
  }

  const covered = new Float64Array(lineCount);
  let bestValue = 0;
  let bestCount = 0;
  const descend = (u: number, value: number, count: number): void => {
    if (value > bestValue || (value === bestValue && count < bestCount)) {
      bestValue = value;
      bestCount = count;
    }
    if (u === units.length) return;
    const bound = boundOf(covered, room[u], st.totals);
    if (bound < bestValue) return;
    // At best a tie on value is left: only worth it with fewer coupons than the best holds.
    if (bound === bestValue && count + fewestReaching(sums[u], bestValue - value) >= bestCount) return;
    for (const o of units[u].options) {
      const delta = cover(covered, st.totals, st.shares[o.t], o.count);
      descend(u + 1, value + delta, count + o.count);
      cover(covered, st.totals, st.shares[o.t], -o.count);
    }
    descend(u + 1, value, count);
  };
  descend(0, 0, 0);
  return { value: bestValue, count: bestCount };
}

/** What coupons k… of phase 2's order could still add: per group its best, per template without a group all. */
interface Remaining {
  /** Templates without a group: Σ share × coupons left, per line. */
  ungroupedRoom: Float64Array;
  /** Their coupons' savings, largest first. */
  ungroupedSavings: number[];
  /** Per group with coupons left: the largest share per line and the largest saving. */
  groups: { group: string; room: Float64Array; saving: number }[];
}

function remainingFrom(st: Stacking, order: readonly { t: number }[]): Remaining[] {
  const lineCount = st.totals.length;
  const remaining: Remaining[] = new Array(order.length + 1);
  const groups = new Map<string, { group: string; room: Float64Array; saving: number }>();
  let ungroupedRoom = new Float64Array(lineCount);
  let ungroupedSavings: number[] = [];
  for (let k = order.length; k >= 0; k--) {
    if (k < order.length) {
      const t = order[k].t;
      const sh = st.shares[t];
      const group = st.groupOf[t];
      if (group === null) {
        ungroupedRoom = Float64Array.from(ungroupedRoom);
        for (let j = 0; j < sh.lines.length; j++) ungroupedRoom[sh.lines[j]] += sh.shares[j];
        ungroupedSavings = [...ungroupedSavings, sh.saving];
        sortSmall(ungroupedSavings, (a, b) => b - a);
      } else {
        const before = groups.get(group);
        const room = before === undefined ? new Float64Array(lineCount) : Float64Array.from(before.room);
        for (let j = 0; j < sh.lines.length; j++)
          room[sh.lines[j]] = Math.max(room[sh.lines[j]], sh.shares[j]);
        groups.set(group, { group, room, saving: Math.max(before?.saving ?? 0, sh.saving) });
      }
    }
    remaining[k] = { ungroupedRoom, ungroupedSavings, groups: [...groups.values()] };
  }
  return remaining;
}

/**
 * Phase 2: among the sets worth `value` with `count` coupons, the one whose coupons expire first.
 * Coupons are decided one by one in expiry order, taking each before leaving it, so sets are met in
 * order of preference and the first one found is the answer. The bound leaves out the groups
 * already used, so a weaker coupon of a group is refuted as soon as it is taken.
 */
function earliestSetWith(st: Stacking, value: number, count: number): number[] {
  const { problem, totals } = st;
  const order: { coupon: number; t: number }[] = [];
  st.couponsOf.forEach((list, t) => {
    for (let k = 0; k < Math.min(list.length, st.shares[t].capacity); k++) order.push({ coupon: list[k], t });
  });
  sortSmall(order, (a, b) => byExpiry(problem.coupons[a.coupon], problem.coupons[b.coupon]));
  const remaining = remainingFrom(st, order);

  const lineCount = totals.length;
  const covered = new Float64Array(lineCount);
  const room = new Float64Array(lineCount);
  const usedGroups = new Set<string>();
  const takenOf = new Array<number>(st.couponsOf.length).fill(0);
  const taken: number[] = [];
  const groupSavings: number[] = [];

  /** Whether the coupons left, outside the groups used, could still reach `value` within `count`. */
  const reachable = (k: number, reached: number): boolean => {
    const left = remaining[k];
    room.set(left.ungroupedRoom);
    groupSavings.length = 0;
    for (const g of left.groups) {
      if (usedGroups.has(g.group)) continue;
      for (let l = 0; l < lineCount; l++) room[l] += g.room[l];
      groupSavings.push(g.saving);
    }
    if (boundOf(covered, room, totals) < value) return false;
    // The fewest coupons that could add what is missing: the largest savings first, from both lists.
    sortSmall(groupSavings, (a, b) => b - a);
    let need = value - reached;
    let more = 0;
    let i = 0;
    let j = 0;
    const ungrouped = left.ungroupedSavings;
    while (need > 0) {
      const a = i < ungrouped.length ? ungrouped[i] : -1;
      const b = j < groupSavings.length ? groupSavings[j] : -1;
      if (a < 0 && b < 0) return false;
      if (a >= b) i++;
      else j++;
      need -= Math.max(a, b);
      more++;
    }
    return taken.length + more <= count;
  };

  const descend = (k: number, reached: number): boolean => {
    if (reached === value && taken.length === count) return true;
    if (k === order.length || taken.length >= count || !reachable(k, reached)) return false;
    const { coupon, t } = order[k];
    const group = st.groupOf[t];
    if ((group === null || !usedGroups.has(group)) && takenOf[t] < st.shares[t].capacity) {
      const delta = cover(covered, totals, st.shares[t], 1);
      if (group !== null) usedGroups.add(group);
      takenOf[t]++;
      taken.push(coupon);
      if (descend(k + 1, reached + delta)) return true;
      taken.pop();
      takenOf[t]--;
      if (group !== null) usedGroups.delete(group);
      cover(covered, totals, st.shares[t], -1);
    }
    return descend(k + 1, reached);
  };
  if (!descend(0, 0)) throw new Error("no combination has the value phase 1 found");
  return taken;
}
