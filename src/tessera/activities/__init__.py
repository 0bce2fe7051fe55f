"""Activities (``/:pid/activities``, fact sheet §5.18): the project's audit log, recorded from
domain events in the transaction of the change they describe."""
