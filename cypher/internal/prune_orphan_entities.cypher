// Remove entities nothing links to any more: a name whose key changed, or whose last link
// was pruned, so a re-run on more papers leaves no stale duplicate behind. Runs once after
// every write.
MATCH (e:Entity)
WHERE NOT (e)--()
DELETE e
