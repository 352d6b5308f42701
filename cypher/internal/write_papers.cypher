// Upsert papers. Re-running with the same rows changes nothing.
// $rows: [{id, props: {title, abstract, date, upvotes, authors_count, organization, source, line, arxiv_id}}]
UNWIND $rows AS row
MERGE (p:Paper {id: row.id})
SET p += row.props
