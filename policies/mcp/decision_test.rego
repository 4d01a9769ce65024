package mcp_test

test_strictest_wins_and_every_reason_is_listed if {
	# destructive (ask) + missing scope (deny) → deny, with both reasons, denials first
	cl := object.union(fx_claims, {"scope": "repo:read"})
	d := decide(req_claims(call("github", "delete_branch", {}), cl, []))
	d.decision == "deny"
	d.allow == false
	codes(d) == {"scope_insufficient", "destructive_approval"}
	d.reasons[0].code == "scope_insufficient"
	d.reasons[1].code == "destructive_approval"
}

test_ask_is_not_allow if {
	d := decide(req(call("github", "delete_branch", {}), []))
	d.decision == "ask"
	d.allow == false
}

test_every_reason_has_code_and_message if {
	d := decide(build(call("nowhere", "x", {}), no_token, [], true))
	count(d.reasons) >= 3
	every r in d.reasons {
		is_string(r.code)
		is_string(r.message)
		count(r) == 2
	}
}

test_empty_input_denied if {
	d := data.mcp.decision with input as {} with data.catalog as fx_catalog with data.config as fx_config
	d.decision == "deny"
	"token_missing" in codes(d)
	"tool_unknown" in codes(d)
}

test_missing_catalog_denies if {
	i := req(call("github", "get_issue", {}), [])
	d := data.mcp.decision with input as i with data.catalog as {} with data.config as fx_config
	verdict(d, "deny", "tool_unknown")
}

test_missing_config_uses_strict_fallbacks if {
	# no trusted issuers configured: nothing is trusted
	i := req(call("github", "get_issue", {}), [])
	d := data.mcp.decision with input as i with data.catalog as fx_catalog with data.config as {}
	verdict(d, "deny", "token_issuer_untrusted")
}
