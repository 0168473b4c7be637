// The AWS adapters: the only project allowed to import @aws-sdk/*.
export {};
