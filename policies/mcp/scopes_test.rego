package mcp_test

pr := call("github", "create_pull_request", {"owner": "alice", "repo": "site"})

test_scope_missing_denied_with_obligations if {
	cl := object.union(fx_claims, {"scope": "issues:read repo:read"})
	d := decide(req_claims(pr, cl, []))
	verdict(d, "deny", "scope_insufficient")
	d.obligations.required_scopes == ["repo:write"]
	d.obligations.missing_scopes == ["repo:write"]
	d.obligations.www_authenticate == `Bearer error="insufficient_scope", scope="repo:write"`
}

test_scope_present_allows if {
	cl := object.union(fx_claims, {"scope": "repo:write"})
	allowed(decide(req_claims(pr, cl, [])))
}

test_scope_from_scp_array if {
	cl := object.union(object.remove(fx_claims, ["scope"]), {"scp": ["repo:write"]})
	allowed(decide(req_claims(pr, cl, [])))
}

test_read_scope_does_not_grant_write if {
	cl := object.union(fx_claims, {"scope": "repo:read"})
	verdict(decide(req_claims(pr, cl, [])), "deny", "scope_insufficient")
}

test_destructive_call_needs_destructive_scope if {
	cl := object.union(fx_claims, {"scope": "repo:write"})
	d := decide(req_claims(call("github", "delete_branch", {}), cl, []))
	verdict(d, "deny", "scope_insufficient")
	d.obligations.required_scopes == ["repo:delete", "repo:write"]
	d.obligations.missing_scopes == ["repo:delete"]
}

test_no_scope_obligations_when_allowed if {
	decide(req(pr, [])).obligations == {}
}
