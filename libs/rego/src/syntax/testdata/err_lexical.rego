package e

bad_escape := "a\qb"
bad_unicode := "\u12"
num := 12abc
ok := 1
empty if {}
