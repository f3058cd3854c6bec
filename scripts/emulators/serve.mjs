// Starts one emulator on 127.0.0.1 (port from argv, 0 = any free port) and prints "listening <url>".
import dynalite from "dynalite";
import { buildApp } from "fauxqs";

const [kind, portArg = "0"] = process.argv.slice(2);
const port = Number.parseInt(portArg, 10);

async function startDynalite() {
  // Tables become ACTIVE after 100 ms, like AWS but faster; data lives in memory only.
  const server = dynalite({ createTableMs: 100, deleteTableMs: 100, updateTableMs: 100 });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return `http://127.0.0.1:${server.address().port}`;
}

async function startFauxqs() {
  // fauxqs' own CLI listens on 0.0.0.0; buildApp lets us bind loopback only.
  const app = buildApp({ logger: false, host: "localhost" });
  return app.listen({ port, host: "127.0.0.1" });
}

const starters = { dynalite: startDynalite, fauxqs: startFauxqs };
if (!starters[kind]) {
  console.error(`usage: node serve.mjs dynalite|fauxqs [port]`);
  process.exit(2);
}
const url = await starters[kind]();
console.log(`listening ${url}`);
