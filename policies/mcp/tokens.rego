# Rule 1 (token present, valid, unexpired, from a trusted issuer) and rule 2 (audience bound
# to the called server: no token passthrough).
package mcp

import data.lib.sequence

claims := input.token.claims if is_object(input.token.claims)

# Later rules read claims only from a token that passed verification.
token_usable if {
	input.token.present == true
	input.token.valid == true
	is_object(input.token.claims)
}

token_error_code := input.token.error.code if is_string(input.token.error.code)

# Verifier errors with a more specific reason of their own.
specific_token_errors := {"token_expired", "token_audience", "token_issuer"}

violation contains {
	"code": "token_missing",
	"message": "no access token was presented",
	"effect": "deny",
} if {
	not input.token.present == true
}

violation contains v if {
	input.token.present == true
	not input.token.valid == true
	not token_error_code in specific_token_errors
	v := {
		"code": "token_invalid",
		"message": sprintf("the access token was rejected: %s", [token_error_message]),
		"effect": "deny",
	}
}

violation contains {
	"code": "token_invalid",
	"message": "the access token carries no claims",
	"effect": "deny",
} if {
	input.token.present == true
	input.token.valid == true
	not is_object(input.token.claims)
}

default token_error_message := "invalid token"

token_error_message := input.token.error.message if is_string(input.token.error.message)

violation contains {
	"code": "token_expired",
	"message": "the access token has expired",
	"effect": "deny",
} if {
	token_error_code == "token_expired"
}

violation contains {
	"code": "token_expired",
	"message": "the access token has expired",
	"effect": "deny",
} if {
	token_usable
	is_number(claims.exp)
	claims.exp * 1000000000 <= sequence.now
}

violation contains {
	"code": "token_issuer_untrusted",
	"message": "the access token's issuer is not trusted",
	"effect": "deny",
} if {
	token_error_code == "token_issuer"
}

violation contains v if {
	token_usable
	not claims.iss in trusted_issuers
	v := {
		"code": "token_issuer_untrusted",
		"message": sprintf("issuer %s is not trusted", [issuer_display]),
		"effect": "deny",
	}
}

# Time claims the verifier may not have checked (gateway-sent claims carry no signature or
# verifier pass): an `exp`/`nbf` that is not a number is malformed, an `nbf` in the future
# means "not yet valid".
violation contains v if {
	token_usable
	some k in ["exp", "nbf"]
	x := claims[k]
	not is_number(x)
	v := {
		"code": "token_invalid",
		"message": sprintf("the access token's %s claim is not a number", [k]),
		"effect": "deny",
	}
}

violation contains {
	"code": "token_invalid",
	"message": "the access token is not valid yet (nbf)",
	"effect": "deny",
} if {
	token_usable
	is_number(claims.nbf)
	claims.nbf * 1000000000 > sequence.now
}

# Claims a gateway vouches for are only as good as the gateway: the service accepts them from
# trusted callers only, and so does the policy.
violation contains {
	"code": "token_invalid",
	"message": "gateway-sent claims from a caller that is not a trusted gateway",
	"effect": "deny",
} if {
	input.token.source == "gateway"
	not input.caller.trusted == true
}

default issuer_display := "<none>"

issuer_display := claims.iss if is_string(claims.iss)

# Audience: `aud` may be a string or an array.
audiences contains aud if {
	is_array(claims.aud)
	some a in claims.aud
	is_string(a)
	aud := trim_suffix(a, "/")
}

audiences contains aud if {
	is_string(claims.aud)
	aud := trim_suffix(claims.aud, "/")
}

# The resource(s) the token must be issued for: the catalog's resource for the server and the
# canonical resource the gateway reports for this call. Both must be in the audience.
expected_resources contains res if {
	r := data.catalog.servers[server].resource
	is_string(r)
	res := trim_suffix(r, "/")
}

expected_resources contains res if {
	is_string(input.resource)
	res := trim_suffix(input.resource, "/")
}

violation contains {
	"code": "token_audience_mismatch",
	"message": "the access token was issued for another audience",
	"effect": "deny",
} if {
	token_error_code == "token_audience"
}

violation contains v if {
	token_usable
	some r in expected_resources
	not r in audiences
	v := {
		"code": "token_audience_mismatch",
		"message": sprintf("the access token's audience does not include %s", [r]),
		"effect": "deny",
	}
}

violation contains {
	"code": "token_audience_mismatch",
	"message": "the called server's resource is unknown, so the audience cannot be checked",
	"effect": "deny",
} if {
	token_usable
	count(expected_resources) == 0
}

# The gateway's canonical resource for this call must be the catalog's resource for the server:
# otherwise the call goes to another MCP server than the catalog entry (its labels, scopes and
# identity parameters) describes. Trailing `/` ignored, as for the audience.
violation contains v if {
	r := data.catalog.servers[server].resource
	is_string(r)
	is_string(input.resource)
	trim_suffix(input.resource, "/") != trim_suffix(r, "/")
	v := {
		"code": "resource_mismatch",
		"message": sprintf("the call goes to %s, but the catalog's %s server is %s", [input.resource, server, r]),
		"effect": "deny",
	}
}
