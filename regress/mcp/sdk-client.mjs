// Copyright (c) 2026 The ocodex developers
//
// Permission to use, copy, modify, and distribute this software for any
// purpose with or without fee is hereby granted, provided that the above
// copyright notice and this permission notice appear in all copies.
//
// THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
// WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
// MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
// ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
// WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
// ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
// OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.

// The official MCP TypeScript SDK client driving the real `ocodex
// mcp-server` against the mock model.  Prints TAP.  Arguments: the
// ocodex binary, the repository to work in, the mock's base URL and its
// request log.  t-mcp-sdk.sh sets it all up.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const [ocodex, repo, baseUrl, logPath, nodeDir] = process.argv.slice(2);
const require = createRequire(join(nodeDir, "node_modules", "x.js"));
const { Client } = await import(require.resolve(
    "@modelcontextprotocol/sdk/client/index.js"));
const { StdioClientTransport } = await import(require.resolve(
    "@modelcontextprotocol/sdk/client/stdio.js"));
const { ElicitRequestSchema } = await import(require.resolve(
    "@modelcontextprotocol/sdk/types.js"));

let n = 0;
let failed = 0;
const PLAN = 34;
console.log(`1..${PLAN}`);
function check(desc, cond, extra) {
	n++;
	if (cond)
		console.log(`ok ${n} - ${desc}`);
	else {
		failed++;
		console.log(`not ok ${n} - ${desc}`);
		if (extra !== undefined)
			console.log(`# ${JSON.stringify(extra).slice(0, 2000)}`);
	}
}
const requests = () => readFileSync(logPath, "utf8").trim().split("\n")
    .map((l) => JSON.parse(l));

const serverArgs = () => ({
	command: ocodex,
	args: ["mcp-server", "-c", "model_provider=mock",
	    "-c", `model_providers.mock.base_url="${baseUrl}"`,
	    "-c", 'model_providers.mock.env_key="MOCK_API_KEY"',
	    "-c", 'model_providers.mock.name="mock"',
	    "-c", 'model="mock-model"'],
	cwd: repo,
	env: process.env,
	stderr: "inherit",
});
const transport = new StdioClientTransport(serverArgs());
const client = new Client({ name: "ocodex-regress", version: "1.0" },
    { capabilities: { elicitation: {} } });

// Every codex/event, by request id.
const events = [];
client.fallbackNotificationHandler = async (note) => {
	if (note.method === "codex/event")
		events.push(note.params);
};
// Approvals: the next answers to give, and what was asked.
const answers = [];
const asked = [];
client.setRequestHandler(ElicitRequestSchema, async (req) => {
	asked.push(req.params);
	const d = answers.shift() ?? "denied";
	return d === "approved" ?
	    { action: "accept", content: { decision: d }, decision: d } :
	    { action: "decline", decision: d };
});

await client.connect(transport);
// The SDK strips what its schema does not know; keep the raw requests
// to see the codex_* fields of the elicitations.
const raw = [];
const deliver = transport.onmessage;
transport.onmessage = (m) => {
	if (m.method === "elicitation/create")
		raw.push(m.params);
	deliver(m);
};
check("initialize: the server names itself",
    client.getServerVersion()?.name === "codex-mcp-server",
    client.getServerVersion());
check("initialize: tools with listChanged",
    client.getServerCapabilities()?.tools?.listChanged === true);

// tools/list and the two schemas.
const { tools } = await client.listTools();
const codex = tools.find((t) => t.name === "codex");
const reply = tools.find((t) => t.name === "codex-reply");
check("tools/list: codex and codex-reply", codex && reply, tools);
const cp = codex.inputSchema.properties;
check("codex: prompt required, kebab-case settings",
    JSON.stringify(codex.inputSchema.required) === '["prompt"]' &&
    ["model", "profile", "cwd", "approval-policy", "sandbox", "config",
    "base-instructions", "developer-instructions", "compact-prompt"]
    .every((k) => k in cp), codex.inputSchema);
check("codex: approval-policy and sandbox enums",
    cp["approval-policy"].enum.join() ===
    "untrusted,on-failure,on-request,never" &&
    cp.sandbox.enum.join() === "read-only,workspace-write,danger-full-access");
check("codex-reply: threadId, conversationId, prompt",
    ["threadId", "conversationId", "prompt"].every((k) =>
    k in reply.inputSchema.properties));
check("both: outputSchema {threadId, content}",
    [codex, reply].every((t) => t.outputSchema?.required?.join() ===
    "threadId,content"));

// A codex call: a command, a patch, a final message.
const r1 = await client.callTool({ name: "codex", arguments: {
    prompt: "list and create hello", "approval-policy": "never",
    sandbox: "workspace-write", "base-instructions": "BASE-INSTR-X",
    "developer-instructions": "DEV-INSTR-Y",
    config: { model_reasoning_effort: "low" } } });
const tid = r1.structuredContent?.threadId;
check("codex: the last message is the text",
    r1.content?.[0]?.text === "Done: listed the repo and created hello.txt.",
    r1);
check("codex: structuredContent has the threadId and content",
    /^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(tid ?? "") &&
    r1.structuredContent.content === r1.content[0].text && !r1.isError);
check("codex: the patch created hello.txt",
    existsSync(join(repo, "hello.txt")));
const ev1 = events.filter((e) => e._meta?.threadId === tid);
const types = ev1.map((e) => e.msg.type);
check("codex/event: session_configured, exec, patch, task_complete",
    ["session_configured", "task_started", "exec_command_begin",
    "exec_command_end", "patch_apply_begin", "patch_apply_end",
    "agent_message", "task_complete"].every((t) => types.includes(t)),
    types);
check("codex/event: _meta.requestId on every event",
    ev1.length > 0 && ev1.every((e) => e._meta.requestId !== undefined));
const end = ev1.find((e) => e.msg.type === "exec_command_end");
check("codex/event: the command's output", /README/.test(
    end?.msg?.aggregated_output ?? ""), end);

const req0 = requests()[0]?.body ?? {};
check("codex: base-instructions replace the instructions",
    req0.instructions === "BASE-INSTR-X" &&
    requests()[2]?.body?.instructions === "BASE-INSTR-X");
const inp = JSON.stringify(req0.input ?? []);
check("codex: developer-instructions come before the prompt",
    inp.indexOf("DEV-INSTR-Y") > 0 &&
    inp.indexOf("DEV-INSTR-Y") < inp.indexOf("list and create hello"));
check("codex: the config object overrides the configuration",
    req0.reasoning?.effort === "low", req0.reasoning);

// codex-reply continues the same session.
const r2 = await client.callTool({ name: "codex-reply", arguments: {
    threadId: tid, prompt: "and now?" } });
check("codex-reply: answered in the same thread",
    r2.content?.[0]?.text === "Second turn." &&
    r2.structuredContent?.threadId === tid, r2);
const body4 = JSON.stringify(requests()[3]?.body ?? {});
check("codex-reply: the request carries the first turn's history",
    body4.includes("list and create hello") &&
    body4.includes("Done: listed the repo") && body4.includes("and now?"));
const r2b = await client.callTool({ name: "codex-reply", arguments: {
    conversationId: "0190aaaa-0000-7000-8000-000000000000",
    prompt: "x" } });
check("codex-reply: an unknown thread is an error result",
    r2b.isError === true && /not found/i.test(r2b.content[0].text), r2b);

// Approvals through elicitation: approved, then denied.
answers.push("approved");
const r3 = await client.callTool({ name: "codex", arguments: {
    prompt: "touch it", "approval-policy": "untrusted",
    sandbox: "workspace-write" } });
check("elicitation: asked once for the command", asked.length === 1 &&
    /^Allow ocodex to run `touch approved.txt` in `/.test(
    asked[0].message) && raw[0]?.codex_elicitation === "exec-approval" &&
    raw[0]?.codex_call_id === "call_touch1" &&
    raw[0]?.codex_cwd === repo &&
    raw[0]?.threadId === r3.structuredContent?.threadId, raw);
check("elicitation approved: the command ran",
    existsSync(join(repo, "approved.txt")) && !r3.isError, r3);
answers.push("denied");
const r4 = await client.callTool({ name: "codex", arguments: {
    prompt: "touch that", "approval-policy": "untrusted",
    sandbox: "workspace-write" } });
check("elicitation denied: the command did not run",
    asked.length === 2 && !existsSync(join(repo, "denied.txt")), r4);
const body8 = JSON.stringify(requests()[7]?.body ?? {});
check("elicitation denied: the model was told", /rejected by user/.test(
    body8), body8.slice(-400));

// Two calls at once, each its own session.
const [p1, p2] = await Promise.all([
    client.callTool({ name: "codex", arguments: { prompt: "one",
    "approval-policy": "never" } }),
    client.callTool({ name: "codex", arguments: { prompt: "two",
    "approval-policy": "never" } })]);
check("parallel: both answered", p1.content?.[0]?.text ===
    "Parallel answer." && p2.content?.[0]?.text === "Parallel answer.",
    [p1, p2]);
check("parallel: two threads", p1.structuredContent.threadId !==
    p2.structuredContent.threadId);
const t1 = events.filter((e) => e._meta.threadId ===
    p1.structuredContent.threadId);
check("parallel: each thread's events carry its own request id",
    t1.length > 0 && new Set(t1.map((e) => JSON.stringify(
    e._meta.requestId))).size === 1);

// A cancelled call: the turn stalls until the client gives up.
const ac = new AbortController();
const slow = client.callTool({ name: "codex", arguments: { prompt:
    "stall", "approval-policy": "never" } }, undefined,
    { signal: ac.signal });
setTimeout(() => ac.abort(), 700);
let cancelled = false;
try {
	await slow;
} catch (e) {
	cancelled = true;
}
check("cancel: the call was abandoned", cancelled);
const t0 = Date.now();
const r5 = await client.callTool({ name: "codex", arguments: {
    prompt: "after the cancel", "approval-policy": "never" } });
check("cancel: the server still answers a call",
    r5.content?.[0]?.text === "After the cancel." && Date.now() - t0 < 5000,
    r5);
const aborted = events.some((e) => e.msg.type === "turn_aborted");
check("cancel: no events of the cancelled turn follow its abort",
    !aborted);

// Bad arguments are a protocol error naming the field.
let err = null;
try {
	await client.callTool({ name: "codex", arguments: { prompt: "x",
	    sandbox: "sideways" } });
} catch (e) {
	err = e;
}
check("bad arguments: -32602 naming the field", err?.code === -32602 &&
    /arguments\.sandbox/.test(err?.message), String(err));
await client.ping();
check("ping after everything", true);

await client.close();

// The session is on disk: a second server continues it from its rollout.
const home = process.env.CODEX_HOME;
const files = readdirSync(join(home, "sessions"), { recursive: true })
    .filter((f) => f.endsWith(`${tid}.jsonl`));
const meta = files.length === 1 ? JSON.parse(readFileSync(join(home,
    "sessions", files[0]), "utf8").split("\n")[0]) : null;
check("rollout: the session was recorded with source mcp",
    meta?.payload?.source === "mcp" && meta?.payload?.id === tid, files);
const client2 = new Client({ name: "ocodex-regress", version: "1.0" });
await client2.connect(new StdioClientTransport(serverArgs()));
const r6 = await client2.callTool({ name: "codex-reply", arguments: {
    threadId: tid, prompt: "still there?" } });
check("codex-reply in a new server: resumed from the rollout",
    r6.content?.[0]?.text === "Resumed." &&
    r6.structuredContent?.threadId === tid, r6);
const last = JSON.stringify(requests().at(-1)?.body ?? {});
check("codex-reply in a new server: the whole history went out",
    last.includes("list and create hello") && last.includes("Second turn.") &&
    last.includes("still there?"));
await client2.close();
process.exit(failed > 0 || n !== PLAN ? 1 : 0);
