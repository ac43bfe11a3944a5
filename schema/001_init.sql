-- somock schema, version 1 (PRAGMA user_version = 1).
-- Column names mirror SuperOffice's own tables where they exist
-- (reference §2.2: BatchTask, table 243); the carrier fields SuperOffice
-- computes (Name, Context, Result, IsSystemTask, IsInternalTask,
-- CancellationBehaviour, ParameterObject, TableRight, FieldProperties) get
-- columns of their own so a captured response round-trips.
-- Dates are INTEGER .NET ticks (100 ns since 0001-01-01T00:00:00 UTC).

CREATE TABLE IF NOT EXISTS associate (
	associate_id   INTEGER PRIMARY KEY,
	name           TEXT NOT NULL COLLATE NOCASE UNIQUE, -- login name
	password       TEXT,
	full_name      TEXT,
	tenant         TEXT NOT NULL DEFAULT '' COLLATE NOCASE -- 'Cust12345', '': default
);

CREATE TABLE IF NOT EXISTS ticket (
	ticket         TEXT PRIMARY KEY,
	associate_id   INTEGER NOT NULL,
	expires        INTEGER          -- ticks, NULL: never
);

CREATE TABLE IF NOT EXISTS token (
	token          TEXT PRIMARY KEY,
	associate_id   INTEGER NOT NULL,
	expires        INTEGER
);

CREATE TABLE IF NOT EXISTS session (
	session_id     TEXT PRIMARY KEY,
	xsrf_token     TEXT NOT NULL,
	associate_id   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS app (
	app_token      TEXT PRIMARY KEY,
	name           TEXT
);

CREATE TABLE IF NOT EXISTS resource (
	resource_id    TEXT NOT NULL,   -- 'SR_BATCH_EXPORT', no brackets
	language       TEXT NOT NULL,   -- SuperOffice prefix: 'US', 'NO', ...
	text           TEXT NOT NULL,
	PRIMARY KEY (resource_id, language)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS batchtask (
	BatchTask_id            INTEGER PRIMARY KEY,
	name                    TEXT,     -- BatchTaskDefinition.name in SuperOffice
	registered_associate_id INTEGER NOT NULL DEFAULT 0,
	detailsTable            INTEGER NOT NULL DEFAULT 0,
	detailsRecord           INTEGER NOT NULL DEFAULT 0,
	isSystemTask            INTEGER NOT NULL DEFAULT 0,
	isInternalTask          INTEGER NOT NULL DEFAULT 0,
	parameterObject         TEXT,     -- JSON object text, NULL: null
	lastStarted             INTEGER NOT NULL DEFAULT 0,
	registered              INTEGER NOT NULL DEFAULT 0,  -- carrier: Created
	startCount              INTEGER NOT NULL DEFAULT 0,
	dbTag                   TEXT,     -- carrier: DatabaseSerialNumber
	context                 TEXT,
	result                  TEXT,
	state                   INTEGER NOT NULL DEFAULT 0,
	description             TEXT,
	response                TEXT,
	request                 TEXT,
	progressDescription     TEXT,
	progressPercent         INTEGER NOT NULL DEFAULT 0,
	FileName                TEXT,
	cancellationBehaviour   INTEGER NOT NULL DEFAULT 0,
	tableRight              TEXT,     -- JSON {"Mask","Reason"}, NULL: null
	fieldProperties         TEXT DEFAULT '{}',
	-- owner's tenant ('' = default), recomputed by the loader after every
	-- load so the list query can use the index below
	tenant                  TEXT NOT NULL DEFAULT '' COLLATE NOCASE
);

-- The list query filters on (tenant, user tasks, state) and orders by id:
-- one index makes its cost grow with the rows returned, not stored.
CREATE INDEX IF NOT EXISTS batchtask_scope
	ON batchtask (tenant, isSystemTask, state, BatchTask_id);
CREATE INDEX IF NOT EXISTS batchtask_state ON batchtask (state);

-- SuperOffice location codes (reference: tzlocations.md), filled from the
-- table compiled into somock when a database is created.
CREATE TABLE IF NOT EXISTS tzlocation (
	locationCode   TEXT PRIMARY KEY COLLATE NOCASE,
	TZLocation_id  INTEGER,          -- NULL where SuperOffice documents none
	iana           TEXT NOT NULL,
	documented     INTEGER NOT NULL
);

-- Row versions, for the answer cache: a Batch write moves the version of
-- what it changed ('T|tenant', 'S|tenant|state', 'I|tenant|id'), and only
-- the cached answers that read those rows go stale. Empty until a write;
-- somock creates it at run time in a database made without it.
CREATE TABLE IF NOT EXISTS somock_dep (
	dep            TEXT PRIMARY KEY,
	v              INTEGER NOT NULL
) WITHOUT ROWID;

PRAGMA user_version = 1;
