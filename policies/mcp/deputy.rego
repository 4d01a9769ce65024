# Rule 4, confused deputy: the agent may act only for the user (and tenant) of its token, in
# that user's own session, through a client the user consented to.
package mcp

# Identity parameters: `<argument>: <claim>`; a present argument must equal the claim.
violation contains v if {
	token_usable
	some arg, claim in entry.identity_params
	value := input.tool.arguments[arg]
	not value == claims[claim]
	v := {
		"code": "identity_mismatch",
		"message": sprintf("argument '%s' names another %s than the caller's", [arg, claim_noun(claim)]),
		"effect": "deny",
	}
}

claim_noun(claim) := "user" if claim == "sub"

claim_noun(claim) := claim if claim != "sub"

violation contains {
	"code": "session_owner_mismatch",
	"message": "the session belongs to another subject or client",
	"effect": "deny",
} if {
	input.session.owner_mismatch == true
}

# Consent registry (data.consent): subject → client_ids the subject consented to. A subject
# listed there may use only those clients; with config `consent.require_entry: true`, a
# subject missing from the registry has consented to nothing.
default client_id := null

client_id := claims.client_id if is_string(claims.client_id)

client_id := claims.azp if {
	not is_string(claims.client_id)
	is_string(claims.azp)
}

client_id := claims.cid if {
	not is_string(claims.client_id)
	not is_string(claims.azp)
	is_string(claims.cid)
}

consent_enforced if data.consent[claims.sub]

consent_enforced if data.config.consent.require_entry == true

client_consented if {
	is_string(client_id)
	some c in data.consent[claims.sub]
	c == client_id
}

violation contains v if {
	token_usable
	consent_enforced
	not client_consented
	v := {
		"code": "client_not_consented",
		"message": sprintf("the user never consented to client %s", [client_display]),
		"effect": "deny",
	}
}

default client_display := "<none>"

client_display := client_id if is_string(client_id)
