import fjs from "fast-json-stringify";
import { createApp } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { openDatabase } from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { seedDemo } from "../../src/demo/seed-demo.js";
import { DecisionSchema } from "../../src/http/schemas.js";
import { batchChecks } from "../http-batch-bench.js";
import { CHECK_BODY } from "../http-check-bench.js";
const database = await openDatabase({ memory: true });
await migrateToLatest(database.db);
await seedDemo({ database, adminKey: "pwadmin_x_0123456789012345678901", paymentSecret: `whsec_${Buffer.alloc(32, 1).toString("base64")}`, now: Date.now() });
const app = await createApp({ database, clock: systemClock, adminKey: "pwadmin_x_0123456789012345678901", paymentSecret: `whsec_${Buffer.alloc(32, 1).toString("base64")}` });
const checks = batchChecks() as any[];
const body = JSON.stringify({ checks });
await app.decisions.batch(checks, null);
const ser = fjs({ type: "object", properties: { results: { type: "array", items: { $ref: "Decision#" } } } }, { schema: { Decision: DecisionSchema } as any });
function time(label: string, n: number, f: () => unknown) {
  for (let i = 0; i < Math.min(n, 2000); i++) f();
  const t = process.hrtime.bigint();
  let x: unknown;
  for (let i = 0; i < n; i++) x = f();
  const us = Number(process.hrtime.bigint() - t) / 1000 / n;
  console.log(label.padEnd(50), us.toFixed(2), "µs/op");
  return x;
}
let results: any;
{ for (let i=0;i<2000;i++) await app.decisions.batch(checks, null); const t=process.hrtime.bigint(); for (let i=0;i<5000;i++) await app.decisions.batch(checks, null); console.log("decisions.batch(100) (cached)".padEnd(50), (Number(process.hrtime.bigint()-t)/1000/5000).toFixed(2), "µs/op"); }
results = await app.decisions.batch(checks, null);
const payload = { results };
time("JSON.parse(request body 8KB)", 5000, () => JSON.parse(body));
const s1 = time("fast-json-stringify(batch response)", 5000, () => ser(payload)) as string;
const s2 = time("JSON.stringify(batch response)", 5000, () => JSON.stringify(payload)) as string;
console.log("sizes", s1.length, s2.length, Buffer.byteLength(s1), "equal", s1 === s2);
time("Buffer.byteLength(response)", 5000, () => Buffer.byteLength(s1));
time("Buffer.from(response)", 5000, () => Buffer.from(s1));
const en = results.map((r: any) => r); 
const single = JSON.parse(CHECK_BODY);
{ for (let i=0;i<20000;i++) await app.decisions.check(single, null); const t=process.hrtime.bigint(); for (let i=0;i<200000;i++) await app.decisions.check(single, null); console.log("decisions.check(1) (cached, awaited)".padEnd(50), (Number(process.hrtime.bigint()-t)/1000/200000).toFixed(2), "µs/op"); }
const one = await app.decisions.check(single, null);
const ser1 = fjs({ $ref: "Decision#" } as any, { schema: { Decision: DecisionSchema } as any });
time("fjs(single decision)", 200000, () => ser1(one));
time("JSON.stringify(single decision)", 200000, () => JSON.stringify(one));
// english locale variant
const checksEn = checks.map((c) => c);
const resEn = await app.decisions.batch(checksEn, "en");
const nonAscii = JSON.stringify(results).match(/[^\x00-\x7f]/g)?.length;
console.log("non-ascii chars in response", nonAscii);
await database.close();
