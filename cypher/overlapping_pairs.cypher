// Paper pairs ranked by the information they share: the sum of the idf of the specific
// entities both mention (kg/specificity.py), with what they share and why.
// A paper that reaches an entity through a variant (UniGRPO VARIANT_OF GRPO) or only a cue
// (GRPO-style, diffusion-based policy) counts for $variant_weight of it; through a phrase
// whose concept key it is (bimanual dexterous manipulation -> bimanual manipulation, via
// 'concept', kg/link/concepts.py) for all of it. Entities that are not specific (accuracy,
// LLM, ambiguous acronyms) join nothing, so concepts join papers too by default; entities
// mentioned by more than $max_papers papers are skipped (the pairs grow quadratically).
// A database written before #18 counts every entity as specific. Pairs are scored first,
// then only the $limit best are explained (a 51k-paper graph answers in seconds); of
// those, two records with the same abstract are no pair.
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
WITH total, e, collect(CASE WHEN p IS NULL THEN NULL ELSE [p.id,
       CASE WHEN any(v IN coalesce(m.via, []) WHERE v IN ['style', 'based', 'like', 'inspired',
                     'driven', 'guided', 'powered', 'enabled'])
            THEN $variant_weight ELSE 1.0 END] END) AS direct
OPTIONAL MATCH (e)<-[:VARIANT_OF]-(:Entity)<-[:MENTIONS]-(q:Paper)
WITH total, e, direct, [x IN direct | x[0]] AS named, collect(DISTINCT q.id) AS through
WITH total, e, direct + [id IN through WHERE NOT id IN named | [id, $variant_weight]] AS members
WHERE size(members) >= 2 AND size(members) <= $max_papers
WITH e, coalesce(e.idf, log(toFloat(total) / size(members))) AS idf, members
UNWIND range(0, size(members) - 2) AS i
UNWIND range(i + 1, size(members) - 1) AS j
WITH idf, members[i] AS x, members[j] AS y
WITH CASE WHEN x[0] < y[0] THEN x[0] ELSE y[0] END AS a,
     CASE WHEN x[0] < y[0] THEN y[0] ELSE x[0] END AS b,
     idf * CASE WHEN x[1] < y[1] THEN x[1] ELSE y[1] END AS gain
WITH a, b, sum(gain) AS score
ORDER BY score DESC, a, b
LIMIT $limit
// Two records with the same abstract are one text a source copied under another title
// (25 pairs among the 51k conference papers), not two papers that overlap: left out.
MATCH (pa:Paper {id: a})
MATCH (pb:Paper {id: b})
WITH a, b, score, pa, pb
WHERE coalesce(pa.abstract, '') = '' OR pa.abstract <> pb.abstract
WITH a, b, score
// What each of these pairs shares, and why: directly, through a variant (x or y is not e),
// through a cue (GRPO-style) or through a phrase whose concept key it is. Each side starts
// from its own paper (a pattern through e would walk all of e's papers for every pair).
MATCH (pa:Paper {id: a})-[ma:MENTIONS]->(x:Entity)-[:VARIANT_OF*0..1]->(e:Entity)
WITH a, b, score, pa, ma, x, e  // filtered after the walk from pa, not by a scan of e
WHERE coalesce(e.specific, true) AND coalesce(e.kind, 'named') <> 'ambiguous'
  AND ($kind = 'all' OR coalesce(e.kind, 'named') = $kind)
  AND coalesce(e.papers, 2) >= 2 AND coalesce(e.papers, 0) <= $max_papers
WITH a, b, score, pa, e, x, coalesce(ma.via, []) AS via, ma.surfaces[0] AS surface
WITH a, b, score, pa, e, x, via, surface,
     [v IN via WHERE v IN ['style', 'based', 'like', 'inspired', 'driven', 'guided',
                           'powered', 'enabled']] AS cues
WITH a, b, score, pa, collect({key: e.key, name: e.name, idf: coalesce(e.idf, 0.0),
     w: CASE WHEN x <> e OR size(cues) > 0 THEN $variant_weight ELSE 1.0 END,
     way: CASE WHEN x <> e THEN 'variant: ' + x.name
               WHEN 'concept' IN via THEN 'concept: ' + surface
               WHEN size(cues) > 0 THEN e.name + '-' + cues[0] ELSE '' END}) AS sides_a
MATCH (pb:Paper {id: b})-[mb:MENTIONS]->(y:Entity)-[:VARIANT_OF*0..1]->(f:Entity)
WHERE f.key IN [s IN sides_a | s.key]
WITH a, b, score, pa, pb, sides_a, f, y, coalesce(mb.via, []) AS via, mb.surfaces[0] AS surface
WITH a, b, score, pa, pb, sides_a, f, y, via, surface,
     [v IN via WHERE v IN ['style', 'based', 'like', 'inspired', 'driven', 'guided',
                           'powered', 'enabled']] AS cues
WITH a, b, score, pa, pb, sides_a, f,
     CASE WHEN y <> f OR size(cues) > 0 THEN $variant_weight ELSE 1.0 END AS wb,
     CASE WHEN y <> f THEN 'variant: ' + y.name
          WHEN 'concept' IN via THEN 'concept: ' + surface
          WHEN size(cues) > 0 THEN f.name + '-' + cues[0] ELSE '' END AS via_b
UNWIND [s IN sides_a WHERE s.key = f.key] AS sa
WITH a, b, score, pa, pb, f, CASE WHEN sa.w < wb THEN sa.w ELSE wb END AS w,
     [t IN [sa.way, via_b] WHERE t <> ''] AS ways
ORDER BY a, b, f.key, w DESC, size(ways)
WITH a, b, score, pa, pb, f, collect([w, ways])[0] AS best
WITH a, b, score, pa, pb, f, best[0] AS w, best[1] AS ways,
     toInteger(round(best[0] * 100)) AS cents
WITH a, b, score, pa, pb, f.name AS name, coalesce(f.idf, 0.0) * w AS gain,
     f.name + CASE WHEN size(ways) = 0 THEN ''
                   ELSE ' (' + reduce(t = ways[0], s IN ways[1..] | t + '; ' + s)
                        + CASE WHEN cents >= 100 THEN ''
                               WHEN cents % 10 = 0 THEN ', x0.' + toString(cents / 10)
                               WHEN cents < 10 THEN ', x0.0' + toString(cents)
                               ELSE ', x0.' + toString(cents) END + ')' END
     AS reason
ORDER BY a, b, gain DESC, name
WITH a, b, score, pa, pb, collect(name) AS shared, collect(reason) AS why
RETURN a AS paper_a, b AS paper_b, size(shared) AS overlap, shared, pa.title AS title_a,
       pb.title AS title_b, score, why
ORDER BY score DESC, paper_a, paper_b
