-- Orleans ADO.NET providers: the query catalogue.
--
-- The Clustering, Persistence and Reminders providers (Microsoft.Orleans.*.AdoNet 10.4.2) never embed SQL of
-- their own: at start-up each one runs `SELECT QueryKey, QueryText FROM OrleansQuery` and from then on executes
-- the text stored under a fixed key, binding parameters by name (@DeploymentId, @GrainIdHash, ...) and reading
-- result columns by name. The table and its two columns are therefore the one fixed point of the contract; every
-- other table, function and column name in these scripts is ours and is mapped onto the expected names with
-- column aliases inside the query texts.
--
-- Every script here is re-runnable: OrleansSchema.ApplyAsync runs them all on every silo start, under an advisory
-- lock, so a query text changed here reaches the database on the next deployment without a migration.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    -- text rather than a bounded varchar: the library never limits the length, only our scripts do.
    QueryText text        NOT NULL,

    CONSTRAINT pk_orleans_query PRIMARY KEY (QueryKey)
);
