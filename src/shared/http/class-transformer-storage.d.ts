// class-transformer's metadata (@Type, @Transform, @Expose) lives in this module, which its index
// does not re-export; its own declaration, under the path Node loads.
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage.js';
}
