# Shared fixtures for the MCP rule tests: a catalog, a config and input builders.
package mcp_test

fx_now := 1700000000000000000

fx_sec := 1000000000

fx_catalog := {"servers": {
	"github": {
		"resource": "https://mcp.example.com/github",
		"destructive_scope": "repo:delete",
		"tools": {
			"get_issue": {"scopes": ["issues:read"], "labels": ["untrusted_content"]},
			"get_file_contents": {"scopes": ["repo:read"], "labels": ["private_data"]},
			"get_private_issue": {"scopes": ["issues:read"], "labels": ["untrusted_content", "private_data"]},
			"create_pull_request": {"scopes": ["repo:write"], "labels": ["public_sink"]},
			"delete_branch": {"scopes": ["repo:write"], "labels": ["destructive"]},
			"list_repos": {"scopes": ["repo:read"], "labels": []},
		},
	},
	"billing": {
		"resource": "https://mcp.example.com/billing",
		"tools": {"get_invoices": {
			"scopes": ["billing:read"],
			"labels": ["private_data"],
			"identity_params": {"user_id": "sub", "org": "tenant"},
		}},
	},
	"chat": {
		"resource": "https://mcp.example.com/chat",
		"tools": {
			"send_message": {"scopes": ["chat:write"], "labels": ["public_sink"], "max_calls_per_session": 3},
			"list_channels": {"scopes": ["chat:read"], "labels": []},
		},
	},
	"files": {
		"resource": "https://mcp.example.com/files",
		"default": {"scopes": ["files:read"], "labels": ["untrusted_content"]},
		"tools": {
			"read_file": {"scopes": ["files:read"], "labels": ["private_data"]},
			"delete_file": {"scopes": ["files:delete"], "labels": ["destructive"], "auto_approve": true},
		},
	},
	"vault": {
		"resource": "https://mcp.example.com/vault",
		"tools": {"read_secret": {"scopes": ["secrets:read"], "labels": ["secrets"]}},
	},
	"sandbox": {
		"resource": "https://mcp.example.com/sandbox",
		"allow_unknown_tools": true,
		"tools": {},
	},
}}

fx_config := {
	"trusted_issuers": ["https://idp.example.com"],
	"toxic_flow": {"mode": "deny"},
	"trifecta": {"mode": "deny"},
	"loop": {"max_repeats": 4, "window_seconds": 60},
	"session": {"max_calls": 20},
	"destructive": {"max_calls": 2, "window_seconds": 300},
	"freeze": false,
	"consent": {"require_entry": false},
}

# Claims granting every audience and scope of the fixture catalog, so each test breaks one rule.
fx_claims := {
	"iss": "https://idp.example.com",
	"sub": "alice",
	"aud": [
		"https://mcp.example.com/github", "https://mcp.example.com/billing",
		"https://mcp.example.com/chat", "https://mcp.example.com/files",
		"https://mcp.example.com/vault", "https://mcp.example.com/sandbox",
	],
	"scope": "issues:read repo:read repo:write repo:delete billing:read chat:read chat:write files:read files:delete secrets:read",
	"client_id": "agent-cli",
	"tenant": "acme",
	"exp": 1700000600,
}

call(server, name, args) := {"server": server, "name": name, "arguments": args, "annotations": {}}

good_token(cl) := {"present": true, "valid": true, "source": "jwt", "claims": cl, "error": null}

bad_token(code) := {
	"present": true, "valid": false, "source": "jwt", "claims": null,
	"error": {"code": code, "message": concat(" ", ["verifier said", code])},
}

no_token := {"present": false, "valid": false, "source": "none", "claims": null, "error": null}

resource_of(tool) := fx_catalog.servers[tool.server].resource

resource_of(tool) := null if not fx_catalog.servers[tool.server].resource

build(tool, token, history, owner_mismatch) := {
	"tool": tool,
	"token": token,
	"resource": resource_of(tool),
	"session": {
		"id": "s-1", "step": count(history) + 1,
		"owner": {"subject": "alice", "client_id": "agent-cli"},
		"owner_mismatch": owner_mismatch, "history_source": "server", "history": history,
	},
	"context": {},
	"caller": {"name": "gateway", "role": "gateway", "trusted": true},
	"now_ns": fx_now,
}

req(tool, history) := build(tool, good_token(fx_claims), history, false)

req_claims(tool, cl, history) := build(tool, good_token(cl), history, false)

# A history step `secs_ago` seconds before fx_now.
past(server, name, decision, secs_ago) := {
	"step": 0, "time": "2023-11-14T22:13:20Z", "time_ns": fx_now - (secs_ago * fx_sec),
	"tool": {"server": server, "name": name, "arguments": {}},
	"decision": decision, "reasons": [],
}

decide(i) := d if {
	d := data.mcp.decision with input as i with data.catalog as fx_catalog with data.config as fx_config
}

decide_cfg(i, cfg) := d if {
	d := data.mcp.decision with input as i with data.catalog as fx_catalog with data.config as cfg
}

codes(d) := {r.code | some r in d.reasons}

# The decision is `want` and `code` is among its reasons.
verdict(d, want, code) if {
	d.decision == want
	code in codes(d)
	d.allow == (want == "allow")
}

allowed(d) if {
	d.decision == "allow"
	d.allow == true
	count(d.reasons) == 0
}
