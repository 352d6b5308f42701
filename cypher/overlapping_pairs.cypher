// Paper pairs ranked by the information they share: the sum of the idf of the specific
// entities both mention (kg/specificity.py), with what they share and why.
// A paper that reaches an entity through a variant (UniGRPO VARIANT_OF GRPO) or only a cue
// (GRPO-style, diffusion-based policy) counts for $variant_weight of it; through a phrase
// whose concept key it is (bimanual dexterous manipulation -> bimanual manipulation, via
// 'concept', kg/link/concepts.py) for all of it. Entities that are not specific (accuracy,
// LLM, ambiguous acronyms) join nothing, so concepts join papers too by default; entities
// mentioned by more than $max_papers papers are skipped (the pairs grow quadratically).
// A database written before #18 counts every entity as specific.
// @param limit int = 20  most pairs returned
// @param kind string = all  named (proper names), concept (generic phrases) or all
// @param max_papers int = 50  ignore entities mentioned by more papers than this
// @param variant_weight float = 0.5  what an entity reached through a variant or a cue counts
MATCH (every:Paper)
WITH count(every) AS total
MATCH (e:Entity)
WHERE coalesce(e.specific, true) AND coalesce(e.kind, 'named') <> 'ambiguous'
  AND ($kind = 'all' OR coalesce(e.kind, 'named') = $kind)
  AND coalesce(e.papers, 2) >= 2 AND coalesce(e.papers, 0) <= $max_papers
OPTIONAL MATCH (e)<-[m:MENTIONS]-(p:Paper)
WITH total, e, m, p,
     [v IN coalesce(m.via, []) WHERE v IN ['style', 'based', 'like', 'inspired', 'driven',
                                          'guided', 'powered', 'enabled']] AS cues
WITH total, e, collect({
       id: p.id,
       w: CASE WHEN size(cues) > 0 THEN $variant_weight ELSE 1.0 END,
       via: CASE WHEN 'concept' IN coalesce(m.via, []) THEN 'concept: ' + m.surfaces[0]
                 WHEN size(cues) > 0 THEN e.name + '-' + cues[0]
                 ELSE '' END}) AS direct
OPTIONAL MATCH (e)<-[v:VARIANT_OF]-(c:Entity)<-[:MENTIONS]-(q:Paper)
WITH total, e, direct, collect({
       id: q.id,
       w: $variant_weight,
       via: 'variant: ' + c.name}) AS through
UNWIND [x IN direct + through WHERE x.id IS NOT NULL] AS member
WITH total, e, member.id AS id, max(member.w) AS w, collect(member) AS ways
WITH total, e, id, w, [x IN ways WHERE x.w = w | x.via][0] AS via
WITH total, e, collect({id: id, w: w, via: via}) AS members
WHERE size(members) >= 2 AND size(members) <= $max_papers
WITH e, coalesce(e.idf, log(toFloat(total) / size(members))) AS idf, members
UNWIND members AS x
UNWIND members AS y
WITH e, idf, x, y
WHERE x.id < y.id
WITH e, idf, x.id AS a, y.id AS b, CASE WHEN x.w < y.w THEN x.w ELSE y.w END AS w,
     [s IN [x.via, y.via] WHERE s <> ''] AS ways
WITH a, b, e, idf, w, ways, toInteger(round(w * 100)) AS cents
WITH a, b, e.name AS name, idf * w AS gain,
     e.name + CASE WHEN size(ways) = 0 THEN ''
                   ELSE ' (' + reduce(t = ways[0], s IN ways[1..] | t + '; ' + s)
                        + CASE WHEN cents >= 100 THEN ''
                               WHEN cents % 10 = 0 THEN ', x0.' + toString(cents / 10)
                               WHEN cents < 10 THEN ', x0.0' + toString(cents)
                               ELSE ', x0.' + toString(cents) END + ')' END
     AS reason
ORDER BY a, b, gain DESC, name
WITH a, b, collect(name) AS shared, collect(reason) AS why, sum(gain) AS score
ORDER BY score DESC, a, b
LIMIT $limit
MATCH (pa:Paper {id: a})
MATCH (pb:Paper {id: b})
RETURN a AS paper_a, b AS paper_b, size(shared) AS overlap, shared, pa.title AS title_a,
       pb.title AS title_b, score, why
ORDER BY score DESC, paper_a, paper_b
