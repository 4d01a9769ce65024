# Rule 3: the token must carry every scope the catalog requires for the tool. A destructive
# call also needs the server's `destructive_scope` when the catalog declares one, so read,
# write and destructive rights stay distinct.
package mcp

# Granted scopes: OAuth `scope` (space-separated string) or `scp` (array or string).
granted_scopes contains s if {
	is_string(claims.scope)
	some s in split(claims.scope, " ")
	s != ""
}

granted_scopes contains s if {
	is_array(claims.scope)
	some s in claims.scope
	is_string(s)
}

granted_scopes contains s if {
	is_array(claims.scp)
	some s in claims.scp
	is_string(s)
}

granted_scopes contains s if {
	is_string(claims.scp)
	some s in split(claims.scp, " ")
	s != ""
}

required_scopes contains s if some s in entry.scopes

required_scopes contains s if {
	"destructive" in labels
	s := data.catalog.servers[server].destructive_scope
	is_string(s)
}

missing_scopes := required_scopes - granted_scopes

scope_denied if {
	token_usable
	known_tool
	count(missing_scopes) > 0
}

violation contains v if {
	scope_denied
	v := {
		"code": "scope_insufficient",
		"message": sprintf("%s needs scope(s) %s", [tool_display, concat(" ", sort(missing_scopes))]),
		"effect": "deny",
	}
}

# What a gateway needs to answer 403 insufficient_scope (RFC 6750 §3.1, MCP step-up).
default scope_obligations := {}

scope_obligations := {
	"required_scopes": sort(required_scopes),
	"missing_scopes": sort(missing_scopes),
	"www_authenticate": sprintf(`Bearer error="insufficient_scope", scope="%s"`, [concat(" ", sort(required_scopes))]),
} if {
	scope_denied
}
