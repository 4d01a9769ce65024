# Rule 4, confused deputy: the agent may act only for the user (and tenant) of its token, in
# that user's own session, through a client the user consented to.
package mcp

# Identity parameters: `<argument>: <claim>`; an argument naming the acting user or tenant must
# equal that claim of the token (a token without the claim matches nothing). Argument names
# are compared ignoring case, `_`, `-` and spaces (`USER_ID`, `userId`, `user-id` all reach
# servers whose argument binding is loose), and nested objects/arrays are searched to depth
# `identity_max_depth` (a `{"filter": {"user_id": …}}`), unless the entry says
# `identity_nested: false`. Arguments nested deeper than that cannot be checked: denied.
# A missing argument is allowed: the server then acts for the token's own user.
violation contains v if {
	token_usable
	some [norm, arg, claim] in identity_params
	some [key, value] in identity_arguments
	norm_key(key) == norm
	not value == claims[claim]
	v := {
		"code": "identity_mismatch",
		"message": sprintf("argument '%s' (as '%s') names another %s than the caller's", [arg, key, claim_noun(claim)]),
		"effect": "deny",
	}
}

violation contains v if {
	token_usable
	count(identity_params) > 0
	identity_too_deep
	v := {
		"code": "identity_mismatch",
		"message": sprintf("arguments nest deeper than %d levels, so identity parameters cannot be checked", [identity_max_depth]),
		"effect": "deny",
	}
}

identity_max_depth := 4

identity_params := {[norm_key(arg), arg, claim] |
	is_object(entry.identity_params)
	some arg, claim in entry.identity_params
	is_string(arg)
}

norm_key(k) := replace(replace(replace(lower(k), "_", ""), "-", ""), " ", "")

identity_nested if not entry.identity_nested == false

# [key, value] of every argument, top level first, then nested (string keys only: array
# positions are not names). Built level by level without walk(): bounded and runtime-only.
identity_arguments contains [k, v] if {
	count(identity_params) > 0
	some k, v in identity_level1
	is_string(k)
}

identity_arguments contains [k, v] if {
	identity_nested
	count(identity_params) > 0
	some level in [identity_level2, identity_level3, identity_level4]
	some [k, v] in level
	is_string(k)
}

default identity_level1 := {}

identity_level1 := input.tool.arguments if is_object(input.tool.arguments)

identity_level2 := children([v | some v in identity_level1])

identity_level3 := children([v | some [_, v] in identity_level2])

identity_level4 := children([v | some [_, v] in identity_level3])

children(values) := [[k, v] |
	some x in values
	is_collection(x)
	some k, v in x
]

is_collection(x) if is_object(x)

is_collection(x) if is_array(x)

identity_too_deep if {
	identity_nested
	some [_, v] in identity_level4
	is_collection(v)
	count(v) > 0
}

claim_noun(claim) := "user" if claim == "sub"

claim_noun(claim) := claim if claim != "sub"

violation contains {
	"code": "session_owner_mismatch",
	"message": "the session belongs to another subject or client",
	"effect": "deny",
} if {
	# fail closed: anything but an explicit `false` (a missing or malformed flag) is a mismatch
	not input.session.owner_mismatch == false
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

# Any entry for the subject counts, even a malformed one (integrity.rego reports it): a
# subject listed with `false` or `null` has consented to nothing, not to everything.
consent_enforced if {
	is_object(data.consent)
	_ = data.consent[claims.sub]
}

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
