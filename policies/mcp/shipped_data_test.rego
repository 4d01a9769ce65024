# The data files shipped with the pack (catalog/, config/, consent/) load and behave.
package mcp_test

shipped_claims := {
	"iss": "https://idp.example.com", "sub": "alice", "client_id": "agent-cli", "tenant": "acme",
	"aud": ["https://mcp.example.com/github"], "scope": "issues:read repo:read repo:write issues:write",
	"exp": 1700000600,
}

shipped_req(server, name, history) := {
	"tool": {"server": server, "name": name, "arguments": {}, "annotations": {}},
	"token": good_token(shipped_claims),
	"resource": data.catalog.servers[server].resource,
	"session": {"id": "s", "step": count(history) + 1, "owner": null, "owner_mismatch": false, "history_source": "server", "history": history},
	"context": {}, "caller": {"name": "gw", "role": "gateway", "trusted": true}, "now_ns": fx_now,
}

test_shipped_config_thresholds if {
	data.mcp.loop_max_repeats == 10
	data.mcp.session_max_calls == 200
	data.mcp.destructive_max_calls == 5
	data.mcp.toxic_flow_effect == "deny"
	not data.mcp.frozen
	"https://idp.example.com" in data.mcp.trusted_issuers
}

test_shipped_catalog_allows_triage if {
	i := shipped_req("github", "list_issues", [])
	d := data.mcp.decision with input as i
	allowed(d)
}

test_shipped_catalog_blocks_exfiltration if {
	h := [past("github", "get_issue", "allow", 20), past("github", "get_file_contents", "allow", 10)]
	i := shipped_req("github", "create_pull_request", h)
	d := data.mcp.decision with input as i
	verdict(d, "deny", "toxic_flow")
}

test_shipped_catalog_labels if {
	data.lib.catalog.labels({"server": "vault", "name": "read_secret"}) == {"secrets", "private_data"}
	data.lib.catalog.entry({"server": "files", "name": "delete_file"}).auto_approve == true
}
