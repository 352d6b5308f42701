// Remove entities, authors and repositories nothing links to any more: a name whose key
// changed, or whose last link was pruned or whose paper was merged into another, so a re-run
// on more papers leaves no stale node behind. Runs once after every write.
MATCH (e)
WHERE (e:Entity OR e:Author OR e:Repository) AND NOT (e)--()
DELETE e
