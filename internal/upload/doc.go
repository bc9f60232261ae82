// Package upload keeps the bytes of uploaded files in one of three
// storages, chosen by Rocket.Chat's FileUpload_Storage_Type setting:
//
//   - "GridFS": the database itself, through chat.FileStore's chunks (the
//     default, so that several instances sharing a database need nothing
//     else);
//   - "FileSystem": a directory (FileUpload_FileSystemPath);
//   - "AmazonS3": any S3-compatible object store (FileUpload_S3_*).
//
// Every storage streams: Put reads its input a bounded buffer at a time and
// stops at the size limit, leaving nothing behind; Open returns a reader
// that seeks, so that range requests read only what they ask for. The same
// contract (package uploadtest) runs against all three.
//
// It imports the standard library, chat and the S3 client (minio-go).
package upload
