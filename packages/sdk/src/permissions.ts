// The contract's access-control table lives in @portcullis/contract; the SDK re-exports it for clients.
export * from '@portcullis/contract/access';
