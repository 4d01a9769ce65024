package mcp_test

issue := call("github", "get_issue", {"owner": "alice", "repo": "site", "number": 1})

test_valid_token_allows_a_plain_read if {
	allowed(decide(req(issue, [])))
}

test_token_missing if {
	d := decide(build(issue, no_token, [], false))
	verdict(d, "deny", "token_missing")
	codes(d) == {"token_missing"}
}

test_token_invalid_signature if {
	d := decide(build(issue, bad_token("token_signature"), [], false))
	verdict(d, "deny", "token_invalid")
}

test_token_invalid_without_error_code if {
	tok := {"present": true, "valid": false, "source": "jwt", "claims": null, "error": null}
	verdict(decide(build(issue, tok, [], false)), "deny", "token_invalid")
}

test_token_valid_without_claims_is_invalid if {
	tok := {"present": true, "valid": true, "source": "gateway", "claims": null, "error": null}
	verdict(decide(build(issue, tok, [], false)), "deny", "token_invalid")
}

test_token_expired_by_verifier if {
	d := decide(build(issue, bad_token("token_expired"), [], false))
	verdict(d, "deny", "token_expired")
	not "token_invalid" in codes(d)
}

test_token_expired_by_claims if {
	cl := object.union(fx_claims, {"exp": 1699999999})
	verdict(decide(req_claims(issue, cl, [])), "deny", "token_expired")
}

test_token_issuer_untrusted if {
	cl := object.union(fx_claims, {"iss": "https://evil.example.com"})
	verdict(decide(req_claims(issue, cl, [])), "deny", "token_issuer_untrusted")
}

test_token_issuer_missing_is_untrusted if {
	cl := object.remove(fx_claims, ["iss"])
	verdict(decide(req_claims(issue, cl, [])), "deny", "token_issuer_untrusted")
}

test_token_issuer_error_from_verifier if {
	verdict(decide(build(issue, bad_token("token_issuer"), [], false)), "deny", "token_issuer_untrusted")
}

test_token_audience_for_another_server if {
	cl := object.union(fx_claims, {"aud": ["https://mcp.example.com/chat"]})
	d := decide(req_claims(issue, cl, []))
	verdict(d, "deny", "token_audience_mismatch")
}

test_token_audience_as_string if {
	cl := object.union(fx_claims, {"aud": "https://mcp.example.com/github/"})
	allowed(decide(req_claims(issue, cl, [])))
}

test_token_audience_error_from_verifier if {
	verdict(decide(build(issue, bad_token("token_audience"), [], false)), "deny", "token_audience_mismatch")
}

test_token_audience_checks_reported_resource if {
	i := object.union(req(issue, []), {"resource": "https://mcp.other.example.com/github"})
	verdict(decide(i), "deny", "token_audience_mismatch")
}

test_untrusted_issuer_config_empty_denies if {
	cfg := object.union(fx_config, {"trusted_issuers": []})
	verdict(decide_cfg(req(issue, []), cfg), "deny", "token_issuer_untrusted")
}

test_token_audience_unknown_resource_denied if {
	# an admitted unknown tool on a server without a resource, and no resource from the gateway
	cat := {"servers": {"lab": {"allow_unknown_tools": true, "tools": {}}}}
	i := object.union(req(call("lab", "probe", {}), []), {"resource": null})
	d := data.mcp.decision with input as i with data.catalog as cat with data.config as fx_config
	verdict(d, "deny", "token_audience_mismatch")
}
