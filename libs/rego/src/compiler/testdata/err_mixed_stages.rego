package golden.mixed

p := 1

p contains 1

q if nope(1)

r if upper(1)

s if t

t if s
