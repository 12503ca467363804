/**
 * The baseline: a bare node:http server that reads the request body and answers a fixed JSON body
 * (BENCH_SERVER_BODY, the bytes Perkwise answers to the same request). Prints {"port": n} once listening.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const body = Buffer.from(process.env.BENCH_SERVER_BODY ?? '{"ok":true}');
const headers = { "content-type": "application/json; charset=utf-8", "content-length": String(body.length) };

const server = createServer((request, response) => {
  request.on("data", () => {});
  request.on("end", () => {
    response.writeHead(200, headers);
    response.end(body);
  });
});
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
