// Remove stored papers the graph no longer has (a `title:` id merged into an `arXiv:` one)
// with their links; what only they linked to goes with the orphans. Runs after the papers.
// $rows: [{id}]
UNWIND $rows AS row
MATCH (p:Paper {id: row.id})
DETACH DELETE p
