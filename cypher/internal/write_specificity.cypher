// Write on every entity a paper mentions how many papers do (`papers`), the idf of that
// (`idf`: ln(total papers / papers)) and whether it may join two papers (`specific`; the rule
// and its parameters: kg/specificity.py). Runs after every write, so a grown corpus keeps
// them right; write_specificity_variants then counts the papers of variants too (#18).
// $generic: [entity key], never specific
// $max_share: float, the largest share of the papers a specific entity may have
// $small: int, the papers a specific entity may have in any corpus
MATCH (every:Paper)
WITH count(every) AS total
MATCH (e:Entity)<-[:MENTIONS]-(p:Paper)
WITH total, e, count(p) AS papers
SET e.papers = papers,
    e.idf = log(toFloat(total) / papers),
    e.specific = NOT e.key IN $generic AND coalesce(e.kind, 'named') <> 'ambiguous'
        AND papers >= 2
        AND papers <= CASE WHEN $max_share * total > $small THEN $max_share * total ELSE $small END
