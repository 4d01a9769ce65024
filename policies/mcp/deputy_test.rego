package mcp_test

invoices(args) := call("billing", "get_invoices", args)

test_identity_own_user_allowed if {
	allowed(decide(req(invoices({"user_id": "alice", "org": "acme"}), [])))
}

test_identity_other_user_denied if {
	d := decide(req(invoices({"user_id": "bob"}), []))
	verdict(d, "deny", "identity_mismatch")
}

test_identity_other_tenant_denied if {
	d := decide(req(invoices({"user_id": "alice", "org": "globex"}), []))
	verdict(d, "deny", "identity_mismatch")
}

test_identity_claim_missing_denied if {
	cl := object.remove(fx_claims, ["tenant"])
	verdict(decide(req_claims(invoices({"org": "acme"}), cl, [])), "deny", "identity_mismatch")
}

test_identity_argument_absent_allowed if {
	allowed(decide(req(invoices({}), [])))
}

test_session_owner_mismatch_denied if {
	d := decide(build(invoices({}), good_token(fx_claims), [], true))
	verdict(d, "deny", "session_owner_mismatch")
}

consent_decide(i, registry, cfg) := d if {
	d := data.mcp.decision with input as i with data.catalog as fx_catalog
		with data.config as cfg with data.consent as registry
}

test_consent_client_not_in_registry_denied if {
	d := consent_decide(req(invoices({}), []), {"alice": ["ide-plugin"]}, fx_config)
	verdict(d, "deny", "client_not_consented")
}

test_consent_client_in_registry_allowed if {
	allowed(consent_decide(req(invoices({}), []), {"alice": ["ide-plugin", "agent-cli"]}, fx_config))
}

test_consent_subject_absent_allowed_by_default if {
	allowed(consent_decide(req(invoices({}), []), {"bob": ["ide-plugin"]}, fx_config))
}

test_consent_required_entry_denies_unlisted_subject if {
	cfg := object.union(fx_config, {"consent": {"require_entry": true}})
	d := consent_decide(req(invoices({}), []), {"bob": ["agent-cli"]}, cfg)
	verdict(d, "deny", "client_not_consented")
}

test_consent_uses_azp_when_no_client_id if {
	cl := object.union(object.remove(fx_claims, ["client_id"]), {"azp": "agent-cli"})
	allowed(consent_decide(req_claims(invoices({}), cl, []), {"alice": ["agent-cli"]}, fx_config))
}
