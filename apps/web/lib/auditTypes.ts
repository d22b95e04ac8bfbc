// Every event type the API records, for the audit log's filter: the contract's list (the API
// records the same one).
export { AUDIT_EVENT_TYPES } from '@portcullis/contract/codes';
