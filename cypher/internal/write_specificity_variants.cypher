// Count for each entity with variants or narrower concepts (VARIANT_OF, one hop) the papers
// that mention it or one of them: UniGRPO's papers count for GRPO, and a concept key no paper
// names (bimanual manipulation) gets the papers of its narrower phrases. Runs after
// write_specificity, with the same parameters and rule (kg/specificity.py, #18).
// $generic: [entity key], never specific
// $max_share: float, the largest share of the papers a specific entity may have
// $small: int, the papers a specific entity may have in any corpus
MATCH (every:Paper)
WITH count(every) AS total
MATCH (e:Entity)<-[:VARIANT_OF]-(:Entity)<-[:MENTIONS]-(q:Paper)
WITH total, e, collect(DISTINCT q) AS through
OPTIONAL MATCH (e)<-[:MENTIONS]-(p:Paper)
WITH total, e, through, collect(p) AS direct
WITH total, e, size(through + [p IN direct WHERE NOT p IN through]) AS papers
SET e.papers = papers,
    e.idf = log(toFloat(total) / papers),
    e.specific = NOT e.key IN $generic AND coalesce(e.kind, 'named') <> 'ambiguous'
        AND papers >= 2
        AND papers <= CASE WHEN $max_share * total > $small THEN $max_share * total ELSE $small END
