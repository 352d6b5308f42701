// The terms of the concept map from the papers and idf every entity carries (#18): the
// same ranking as view_map_terms, papers * idf, without counting a single link, for a
// view with no date filter. A graph written before #18 has no `papers`: no row, and kg
// runs view_map_terms instead.
// $generic: the name keys of kg.specificity.GENERIC_KEYS
// @param kind string = all  named, concept or all (both; never ambiguous)
// @param types string = ""  comma-separated entity types to keep; empty for all
// @param min_papers int = 3  leave out entities fewer papers mention
// @param limit int = 300  terms returned
MATCH (e:Entity)
WHERE e.papers >= $min_papers
  AND coalesce(e.kind, 'named') IN ['named', 'concept']
  AND ($kind = 'all' OR coalesce(e.kind, 'named') = $kind)
  AND NOT e.key IN $generic
  AND ($types = '' OR e.type IN split($types, ','))
RETURN e.key AS key, e.name AS name, e.canonical AS canonical, e.type AS type,
       coalesce(e.kind, 'named') AS kind, e.aliases AS aliases, e.papers AS papers,
       e.idf AS idf, e.papers * e.idf AS score
ORDER BY score DESC, key
LIMIT $limit
