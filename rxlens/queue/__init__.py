"""Analyses as jobs on a Celery queue (RabbitMQ broker) run by `rxlens worker` processes.

    API process                          RabbitMQ                     worker process (×N)
    POST /v1/jobs ──► job + events key ──► rxlens.<prefix>.analyses ──► pipeline (model, index
                      in Redis (sealed)    durable, acks late,          loaded once) ──► events
    GET …/events  ◄── events list in Redis ◄────────────────────────────── and record, sealed

Photos travel sealed in the message; progress events and the record are appended, sealed, to a
Redis list with a time-to-live. A worker that dies mid-job leaves its message unacknowledged, so
RabbitMQ hands it to another worker; a job that already has its record is not run twice.
"""
