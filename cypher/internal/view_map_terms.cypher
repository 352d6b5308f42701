// The terms of the concept map (`kg export html --view map`, the default view of a big graph):
// named entities and specific concepts ranked by papers with idf weighting, papers * idf,
// idf = ln(N / papers) (the stored e.idf when the graph has one). Ambiguous bare acronyms
// (kind "ambiguous") and the generic concepts of kg/specificity.py (accuracy, LLM) are never
// drawn. Only MENTIONS count: an affiliation is no topic.
// $generic: the name keys of kg.specificity.GENERIC_KEYS
// @param total int  papers in the graph (within the dates asked for): the N of the idf
// @param kind string = all  named, concept or all (both; never ambiguous)
// @param types string = ""  comma-separated entity types to keep; empty for all
// @param since string = ""  ISO day: papers on or after it ("": undated papers too)
// @param until string = 9999-99-99  ISO day: papers on or before it
// @param min_papers int = 3  leave out entities fewer papers mention
// @param limit int = 300  terms returned
MATCH (e:Entity)<-[:MENTIONS]-(p:Paper)
WHERE coalesce(e.kind, 'named') IN ['named', 'concept']
  AND ($kind = 'all' OR coalesce(e.kind, 'named') = $kind)
  AND NOT e.key IN $generic
  AND ($types = '' OR e.type IN split($types, ','))
WITH e, coalesce(p.date, '') AS date
WHERE date >= $since AND date <= $until
WITH e, count(*) AS papers
WHERE papers >= $min_papers
WITH e, papers, coalesce(e.idf, log(toFloat($total) / papers)) AS idf
RETURN e.key AS key, e.name AS name, e.canonical AS canonical, e.type AS type,
       coalesce(e.kind, 'named') AS kind, e.aliases AS aliases, papers, idf,
       papers * idf AS score
ORDER BY score DESC, key
LIMIT $limit
