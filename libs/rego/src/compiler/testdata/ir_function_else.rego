# entrypoints: g/r
package g

size(n) := "big" if n > 10
else := "small"

r := [size(1), size(11)]
