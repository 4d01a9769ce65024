// Small Rego policies the e2e tests write to temp policy directories.

/** Denies invalid tokens, owner mismatches and send-after-read-secret; asks for delete_file. */
export const MAIN_POLICY = `package mcp

import rego.v1

deny_reasons contains {"code": "token_invalid", "message": "the token is missing or invalid"} if not input.token.valid

deny_reasons contains {"code": "owner_mismatch", "message": "the session belongs to someone else"} if input.session.owner_mismatch

deny_reasons contains {"code": "exfiltration", "message": "send_email after read_secret"} if {
	input.tool.name == "send_email"
	some h in input.session.history
	h.tool.name == "read_secret"
}

deny_reasons contains {"code": "blocked_tool", "message": "the tool is blocked"} if input.tool.name in data.blocked

ask_reasons contains {"code": "destructive", "message": "needs confirmation"} if input.tool.name == "delete_file"

decision := {"allow": false, "decision": "deny", "reasons": deny_reasons} if count(deny_reasons) > 0

decision := {"allow": false, "decision": "ask", "reasons": ask_reasons} if {
	count(deny_reasons) == 0
	count(ask_reasons) > 0
}

decision := {"allow": true, "decision": "allow", "reasons": []} if {
	count(deny_reasons) == 0
	count(ask_reasons) == 0
}
`;

export const MAIN_DATA = JSON.stringify({ blocked: ['rm_rf'] });

/** Allows everything (the benchmark and crash tests want a cheap, predictable policy). */
export const ALLOW_ALL = `package mcp

import rego.v1

decision := {"allow": true, "decision": "allow", "reasons": []}
`;

/** Same package, different answer: lets reload tests see the new revision take effect. */
export const DENY_ALL = `package mcp

import rego.v1

decision := {"allow": false, "decision": "deny", "reasons": [{"code": "closed", "message": "closed for maintenance"}]}
`;

/** Does not parse. */
export const BROKEN = `package mcp

decision := {"allow": true if
`;
